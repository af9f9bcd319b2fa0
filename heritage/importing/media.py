"""Media files named in a sheet: their type by content, stored as private masters.

The type test is deliberately small (Pillow for images, a few magic bytes
for the rest); the media pipeline will replace it with ffprobe.
"""

import codecs
import hashlib

from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

HEADER_BYTES = 64
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"F4A "}


def _sniff_header(head):
    if head.startswith(b"%PDF"):
        return "document"
    if head.startswith((b"ID3", b"fLaC", b"OggS")) or head[:2] in {b"\xff\xfb", b"\xff\xf3"}:
        return "audio"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video"
    if head[4:8] == b"ftyp":
        return "audio" if head[8:12] in AUDIO_BRANDS else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        return "document"
    return None


def sniff_media_type(path):
    """``"image"``, ``"video"``, ``"audio"``, ``"document"`` or None when not recognised."""
    try:
        with Image.open(path) as image:
            image.verify()
        return "image"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        pass
    with open(path, "rb") as stream:
        head = stream.read(HEADER_BYTES)
    media_type = _sniff_header(head)
    if media_type is None and head:
        with open(path, "rb") as stream:
            try:
                codecs.getincrementaldecoder("utf-8")().decode(stream.read(HEADER_BYTES * 1024))
            except UnicodeDecodeError:
                return None
        return "document"  # plain text: field notes, transcripts
    return media_type


def store_asset(ref, *, collection, user, recorded_by="", recorded_on=None):
    """Copy ``ref.path`` byte for byte into private storage as a new MediaAsset."""
    from media_pipeline.models import MediaAsset

    asset = MediaAsset(
        title=ref.path.stem,
        media_type=ref.media_type,
        original_filename=ref.path.name,
        file_size=ref.path.stat().st_size,
        sha256=ref.key,
        collection=collection,
        uploaded_by=user,
        recorded_by=recorded_by,
        recorded_on=recorded_on,
    )
    digest = hashlib.sha256()
    with open(ref.path, "rb") as stream:
        asset.file.save(ref.path.name, File(stream), save=False)
    # Re-read what storage holds: the checksum must be the master's, not the source's.
    with asset.file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
    asset.file.close()
    if digest.hexdigest() != ref.key:
        asset.file.delete(save=False)
        raise OSError(
            _("the stored copy of %(name)s differs from the source") % {"name": ref.path.name}
        )
    asset.save()
    return asset
