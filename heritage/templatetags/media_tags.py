"""The one place templates ask for a media asset's URL."""

from django import template

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
