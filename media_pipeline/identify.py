"""What a file is, decided from its content: the one test for "media we accept".

The processing job uses it before rendering, and the sheet import uses it to
refuse a row whose file would only fail later in the job.  Photos are tried
with Pillow first (ffprobe's image demuxers are not whitelisted), then
ffprobe, and only then the document signatures.
"""

from dataclasses import dataclass

from media_pipeline import documents, images, probing
from media_pipeline.errors import BadMediaInput, gettext_noop
from media_pipeline.models import MediaType


@dataclass(frozen=True)
class Identified:
    media_type: str  # a MediaType value
    facts: dict  # what is stored on the asset as ``probe``
    info: object = None  # ffprobe's parsed result, for video and audio


def probe_facts(info):
    """The probed facts stored on the asset and printed by ingest_media."""
    video, audio = info.video, info.audio
    return {
        "kind": info.kind,
        "container": info.container,
        "codecs": [s.codec for s in (video, audio) if s is not None],
        "video_codec": video.codec if video else None,
        "audio_codec": audio.codec if audio else None,
        "duration": round(info.duration, 3),
        "width": video.display_width if video else None,
        "height": video.display_height if video else None,
        "coded_width": video.width if video else None,
        "coded_height": video.height if video else None,
        "rotation": video.rotation if video else 0,
        "frame_rate": round(float(video.frame_rate), 3) if video else None,
        "variable_frame_rate": video.variable_frame_rate if video else False,
        "interlaced": video.interlaced if video else False,
        "audio_channels": audio.channels if audio else 0,
        "sample_rate": audio.sample_rate if audio else None,
        "bit_rate": info.bit_rate,
        "has_cover_art": info.has_attached_pic,
        "title": info.title,
    }


def identify(path):
    """The file's type and facts; raises BadMediaInput (a message for officers) otherwise.

    Only input the tools refuse falls through to the document signatures: a
    timeout or a missing ffprobe is raised as it is, for the job to retry.
    """
    image = images.identify(path)
    if image is not None:
        facts = {"kind": "image", "duration": 0.0, "frame_rate": None, "audio_channels": 0, **image}
        return Identified(MediaType.IMAGE, facts)
    try:
        info = probing.probe(path)
    except BadMediaInput:
        kind = documents.sniff(path)
        if kind is None:
            raise
        return Identified(MediaType.DOCUMENT, {"kind": "document", "container": kind, "codecs": []})
    if info.kind == "video":
        return Identified(MediaType.VIDEO, probe_facts(info), info)
    if info.kind == "audio":
        return Identified(MediaType.AUDIO, probe_facts(info), info)
    raise BadMediaInput(
        gettext_noop("This file contains neither picture nor sound that can be used.")
    )
