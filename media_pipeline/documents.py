"""Recognising documents (survey reports, transcripts) by their content."""

import shutil
import zipfile
from pathlib import Path

from media_pipeline.renditions import Rendition

_TEXT_SAMPLE = 64 * 1024
# Text that ffmpeg would follow to other files: never accepted as a document,
# so a playlist renamed .mp4 ends as a clear error, not as a "document".
_MEDIA_LISTS = (b"#EXTM3U", b"ffconcat", b"file '", b'file "', b"[playlist]")


def sniff(path):
    """'pdf', 'office', 'rtf' or 'text' when the bytes say so; None otherwise."""
    with open(path, "rb") as fh:
        head = fh.read(_TEXT_SAMPLE)
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names or "mimetype" in names:
            return "office"
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(_MEDIA_LISTS) or b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample boundary is still text.
        if exc.start < len(head) - 4:
            return None
    return "text"


DOCUMENT_FILES = {
    "pdf": ("document.pdf", "application/pdf"),
    "rtf": ("document.rtf", "application/rtf"),
    "office": ("document.bin", "application/octet-stream"),
    "text": ("document.txt", "text/plain; charset=utf-8"),
}


def make_rendition(src, out_dir, kind):
    """The copy of a document that visitors download: the master stays officer-only."""
    filename, mime_type = DOCUMENT_FILES[kind]
    target = Path(out_dir) / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, target)
    return Rendition(
        kind="document",
        name="document",
        path=filename,
        files=(filename,),
        mime_type=mime_type,
        bytes=target.stat().st_size,
        codecs=(kind,),
    )
