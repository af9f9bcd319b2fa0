"""The one place templates ask for a media asset's URL."""

from django import template

register = template.Library()

# Rendition names to try for each purpose, best first (see media_pipeline.ffmpeg/images).
RENDITIONS_FOR = {
    "image": ["webp-1280", "webp-640", "jpeg-1280", "jpeg-640", "webp-320", "jpeg-320"],
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
    if purpose == "video":  # a source smaller than every rung keeps its own height
        mp4 = [r for r in renditions.values() if r.kind == "mp4"]
        return mp4[0].url if mp4 else ""
    return ""


@register.simple_tag
def media_url(asset, purpose="image"):
    """URL of ``asset`` for ``purpose`` ("image", "thumbnail", "poster", "video", "hls",
    "audio", "download", "waveform", "thumbnails").

    Callers pass only assets already checked with ``MediaAsset.objects.visible_to``;
    the file view checks again on every request.
    """
    return rendition_url(asset, purpose)
