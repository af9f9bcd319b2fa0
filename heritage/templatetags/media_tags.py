"""The one place templates ask for a media asset's URL."""

from django import template
from django.utils.translation import get_language

register = template.Library()

# Rendition names to try for each purpose, best first (see media_pipeline.transcode/images).
RENDITIONS_FOR = {
    "image": ["jpeg-640", "webp-640", "jpeg-320", "webp-320"],
    "thumbnail": ["webp-320", "jpeg-320", "poster"],
    "poster": ["poster"],
    "video": ["mp4-720p", "mp4-360p", "mp4-240p"],
    "hls": ["hls"],
    "audio": ["audio-aac"],
    "download": ["document"],
    "waveform": ["waveform"],
    "thumbnails": ["thumbnails"],
}


def rendition_url(asset, purpose):
    """URL of the best rendition of ``asset`` for ``purpose``, or "" while none is ready."""
    renditions = {r.name: r for r in asset.renditions.all()}
    for name in RENDITIONS_FOR.get(purpose, []):
        if name in renditions:
            return renditions[name].url
    # A source smaller than every named size keeps its own: any of the right kind will do.
    fallback_kind = {"video": "mp4", "image": "image", "thumbnail": "image"}.get(purpose)
    others = [r for r in renditions.values() if r.kind == fallback_kind]
    return min(others, key=lambda r: r.width or 0).url if others else ""


@register.simple_tag
def media_url(asset, purpose="image"):
    """URL of ``asset`` for ``purpose`` ("image", "thumbnail", "poster", "video", "hls",
    "audio", "download", "waveform", "thumbnails").

    Callers pass only assets already checked with ``MediaAsset.objects.visible_to``;
    the file view checks again on every request.
    """
    return rendition_url(asset, purpose)


IMAGE_FORMATS = [("avif", "image/avif"), ("webp", "image/webp")]
FALLBACK_WIDTH = 640


@register.inclusion_tag("components/picture.html")
def picture(asset, alt="", sizes="(min-width: 60rem) 60rem, 100vw"):
    """A <picture> offering AVIF and WebP renditions with a JPEG fallback, sized by srcset."""
    by_format = {}
    for rendition in asset.renditions.all():
        if rendition.kind == "image" and rendition.codecs:
            by_format.setdefault(rendition.codecs[0], []).append(rendition)
    for renditions in by_format.values():
        renditions.sort(key=lambda r: r.width)

    def srcset(fmt):
        return ", ".join(f"{r.url} {r.width}w" for r in by_format.get(fmt, []))

    fallback = by_format.get("jpeg") or by_format.get("webp") or []
    default = next(
        (r for r in fallback if r.width >= FALLBACK_WIDTH), fallback[-1] if fallback else None
    )
    largest = fallback[-1] if fallback else None
    return {
        "sources": [(mime, srcset(fmt)) for fmt, mime in IMAGE_FORMATS if fmt in by_format],
        "fallback_srcset": srcset("jpeg"),
        "src": default.url if default else "",
        "width": largest.width if largest else None,
        "height": largest.height if largest else None,
        "alt": alt or asset.title,
        "sizes": sizes,
    }


def player_data(asset, language):
    """What the player of a video or audio asset needs: sources, tracks, transcript.

    Tracks are the asset's captions (kind "captions"), the page's language
    first and marked default; the transcript beside the player is its
    transcript in the page's language, else its captions (their cues are
    the spoken text too).
    """
    from media_pipeline.captions import shown_transcript
    from media_pipeline.models import CaptionKind

    renditions = {r.name: r for r in asset.renditions.all()}
    captions = sorted(asset.captions.all(), key=lambda c: (c.language != language, c.language))
    tracks = [
        {
            "url": c.url,
            "language": c.language,
            "label": c.label or c.language,
            "default": i == 0 and c.language == language,
        }
        for i, c in enumerate(c for c in captions if c.kind == CaptionKind.CAPTIONS)
    ]
    transcript = shown_transcript(captions, language)
    thumbnails = renditions.get("thumbnails")
    audio_only = renditions.get("audio-aac")
    return {
        "hls": rendition_url(asset, "hls"),
        "mp4": rendition_url(asset, "video"),
        "audio": rendition_url(asset, "audio"),
        "audio_only": audio_only.url if audio_only and asset.media_type == "video" else "",
        "opus": renditions["audio-opus"].url if "audio-opus" in renditions else "",
        "poster": rendition_url(asset, "poster"),
        "waveform": rendition_url(asset, "waveform"),
        "thumbnails": thumbnails.url if thumbnails else "",
        "tracks": tracks,
        "transcript": transcript,
        "cues": [
            # As strings: templates would localise a float ("12,5" in Vietnamese).
            {"start": f"{start:g}", "end": f"{end:g}", "text": text, "clock": clock(start)}
            for start, end, text in (transcript.cues() if transcript else [])
        ],
    }


def clock(seconds):
    """1:02 or 1:01:02, as players show a time."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def page_language():
    return (get_language() or "vi").split("-")[0]


@register.simple_tag(takes_context=True)
def player(context, asset):
    request = context.get("request")
    data = player_data(asset, page_language())
    # Save-Data: on asks for the least data: the player starts at the smallest rung.
    data["save_data"] = bool(request is not None and request.headers.get("Save-Data") == "on")
    return data


@register.simple_tag
def media_credit(asset):
    """Who recorded ``asset``, in the page's language."""
    return asset.credit(page_language())


@register.simple_tag
def full_size_url(asset):
    """The largest image rendition (JPEG first, for every browser): what the lightbox opens."""
    images = [r for r in asset.renditions.all() if r.kind == "image"]
    jpeg = [r for r in images if r.codecs and r.codecs[0] == "jpeg"] or images
    return max(jpeg, key=lambda r: r.width or 0).url if jpeg else ""
