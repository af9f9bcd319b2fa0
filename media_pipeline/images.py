"""Photo renditions made with Pillow: our own files, never Wagtail renditions.

Wagtail serves renditions of images in private collections from public URLs
(wagtail/wagtail#3880); restricted photos must only be reachable through the
access-checked view, so photos get their own renditions next to the video ones.
Public renditions carry no EXIF at all (GPS positions of informants' homes
included); orientation is applied to the pixels first.
"""

import warnings
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError, features

from media_pipeline.errors import BadMediaInput, gettext_noop
from media_pipeline.renditions import Rendition

WIDTHS = (320, 640, 1280)
# Formats a photo upload may be in; anything else is left to ffprobe.
ACCEPTED = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "AVIF")
QUALITY = {"webp": 80, "avif": 60, "jpeg": 82}
MIME = {"webp": "image/webp", "avif": "image/avif", "jpeg": "image/jpeg"}
EXT = {"webp": "webp", "avif": "avif", "jpeg": "jpg"}


def max_pixels():
    return getattr(settings, "MEDIA_MAX_IMAGE_PIXELS", None) or getattr(
        settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000
    )


def output_formats():
    """WebP and AVIF (when this Pillow has it), JPEG last as the fallback."""
    formats = ["webp"]
    if features.check("avif"):
        formats.append("avif")
    return [*formats, "jpeg"]


def _bomb_error(pixels=None):
    return BadMediaInput(
        gettext_noop(
            "This image is too large to process safely (over %(limit)d megapixels); "
            "it may be a decompression bomb."
        ),
        {"limit": max_pixels() // 1_000_000},
    )


def _open(path):
    """Open with the pixel limit enforced; the warning band counts as a bomb too."""
    Image.MAX_IMAGE_PIXELS = max_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(path, formats=ACCEPTED)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb_error() from exc


def identify(path):
    """Return facts about a photo, or None if Pillow does not see a photo here.

    Raises BadMediaInput for a photo that must be refused (decompression bomb).
    """
    try:
        img = _open(path)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    with img:
        orientation = img.getexif().get(0x0112, 1)
        width, height = img.size
        rotation = {3: 180, 6: 90, 8: 270}.get(orientation, 0)
        if rotation in (90, 270):
            width, height = height, width
        return {
            "container": (img.format or "").lower(),
            "codecs": [(img.format or "").lower()],
            "width": width,
            "height": height,
            "rotation": rotation,
            "mode": img.mode,
            "title": embedded_title(img),
        }


# EXIF ImageDescription: an ASCII tag that phones fill with UTF-8 anyway.
IMAGE_DESCRIPTION = 0x010E


def _exif_text(value):
    """EXIF text as written: Pillow decodes ASCII tags as Latin-1, so undo that for UTF-8."""
    raw = value if isinstance(value, bytes) else str(value).encode("latin-1", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _xmp_language_alternatives(node):
    """The texts of an XMP ``rdf:Alt`` (or a plain value), the x-default one first."""
    if isinstance(node, str):
        return [node]
    if not isinstance(node, dict):
        return []
    items = next((node[k] for k in ("Alt", "Bag", "Seq") if k in node), node).get("li", [])
    items = items if isinstance(items, list) else [items]
    texts = [
        (item.get("lang") != "x-default", item.get("text") or "")
        if isinstance(item, dict)
        else (True, str(item))
        for item in items
    ]
    return [text for _default, text in sorted(texts, key=lambda pair: pair[0])]


def _xmp_title(img):
    try:
        xmp = img.getxmp()
    except (ValueError, SyntaxError):  # a damaged XMP packet says nothing
        return ""
    descriptions = ((xmp.get("xmpmeta") or {}).get("RDF") or {}).get("Description") or []
    for description in descriptions if isinstance(descriptions, list) else [descriptions]:
        if isinstance(description, dict):
            for text in _xmp_language_alternatives(description.get("title")):
                if text.strip():
                    return text
    return ""


def embedded_title(img):
    """The photo's own title: XMP dc:title, else EXIF ImageDescription; "" without one."""
    text = _xmp_title(img)
    if not text.strip():
        description = img.getexif().get(IMAGE_DESCRIPTION)
        text = _exif_text(description) if description else ""
    return " ".join(text.replace("\x00", " ").split())[:255]


def _load(path):
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    img = _open(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        img.close()
        raise _bomb_error() from exc
    except (OSError, SyntaxError, ValueError) as exc:
        img.close()
        raise BadMediaInput(
            gettext_noop(
                "This image file is incomplete or damaged (%(detail)s). "
                "Please upload the original file again."
            ),
            {"detail": str(exc)[:120]},
        ) from exc
    return img


def _clean(img):
    """Pixels only: orientation applied, then every EXIF/XMP/comment dropped."""
    upright = ImageOps.exif_transpose(img)
    if upright.mode not in ("RGB", "RGBA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    icc = img.info.get("icc_profile")
    upright.info = {"icc_profile": icc} if icc else {}
    return upright


def make_renditions(src, out_dir):
    """Write WebP/AVIF/JPEG renditions at WIDTHS (never upscaled) into out_dir."""
    out_dir = Path(out_dir)
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    with _load(src) as raw:
        img = _clean(raw)
    widths = [w for w in WIDTHS if w < img.width] or [img.width]
    if img.width > widths[-1] and len(widths) < len(WIDTHS):
        widths.append(img.width)
    renditions = []
    for width in widths:
        height = max(1, round(img.height * width / img.width))
        resized = img if width == img.width else img.resize((width, height), Image.LANCZOS)
        for fmt in output_formats():
            frame = resized
            if fmt == "jpeg" and frame.mode != "RGB":
                frame = frame.convert("RGB")
            rel = f"images/{width}.{EXT[fmt]}"
            target = out_dir / rel
            options = {"quality": QUALITY[fmt]}
            if fmt == "jpeg":
                options.update(optimize=True, progressive=True)
            if icc := img.info.get("icc_profile"):
                options["icc_profile"] = icc
            # exif=b"" so no encoder copies metadata over from the source.
            frame.save(target, format=fmt.upper(), exif=b"", **options)
            renditions.append(
                Rendition(
                    kind="image",
                    name=f"{fmt}-{width}",
                    path=rel,
                    files=(rel,),
                    mime_type=MIME[fmt],
                    bytes=target.stat().st_size,
                    width=width,
                    height=height,
                    codecs=(fmt,),
                )
            )
    return renditions
