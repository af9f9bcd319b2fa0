"""A .zip holding a sheet and its media files: checked, then unpacked for one import.

The admin import takes such a bundle the way ``import_records FILE
--media-dir DIR`` takes a sheet and a folder.  A bundle is refused as a
whole, before any row is read, when it is corrupt, holds no sheet or more
than one, names a member outside itself (``../``, an absolute path, a drive
letter), holds a symbolic link, or unpacks to more than
``MEDIA_MAX_UPLOAD_BYTES``: the declared sizes are checked first and the real
ones while unpacking, so a zip bomb stops at the limit.
"""

import contextlib
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from media_pipeline.ingest import max_upload_bytes

SHEET_SUFFIXES = {".csv", ".xlsx"}
MAX_MEMBERS = 20_000
COPY_CHUNK = 1024 * 1024
# Folders that archivers add beside the real content.
IGNORED_PARTS = {"__MACOSX"}


class BundleError(ValueError):
    """The .zip cannot be imported; the message is for the officer."""


@dataclass(frozen=True)
class BundleContents:
    sheet: str  # the sheet's member name
    members: tuple  # every file member (zipfile.ZipInfo)
    total_bytes: int


def _member_path(name):
    """The member's relative path, or None if it would land outside the bundle."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part == ".." for part in path.parts):
        return None
    return path


def _is_symlink(info):
    return stat.S_ISLNK(info.external_attr >> 16)


def inspect(archive):
    """Check an open ``zipfile.ZipFile``'s directory; returns ``BundleContents``."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(_("The .zip holds more than %(count)d files.") % {"count": MAX_MEMBERS})
    members, sheets, total = [], [], 0
    for info in infos:
        path = _member_path(info.filename)
        if path is None:
            raise BundleError(
                _("The .zip names a file outside itself: %(name)s") % {"name": info.filename}
            )
        if _is_symlink(info):
            raise BundleError(
                _("The .zip holds a symbolic link: %(name)s") % {"name": info.filename}
            )
        if info.is_dir() or IGNORED_PARTS & set(path.parts) or path.name.startswith("._"):
            continue
        total += info.file_size
        members.append(info)
        if path.suffix.lower() in SHEET_SUFFIXES:
            sheets.append(info.filename)
    if total > max_upload_bytes():
        raise BundleError(
            _("The .zip unpacks to more than the limit of %(limit)s bytes.")
            % {"limit": max_upload_bytes()}
        )
    if not sheets:
        raise BundleError(_("The .zip holds no sheet (.csv or .xlsx)."))
    if len(sheets) > 1:
        raise BundleError(
            _("The .zip holds more than one sheet: %(names)s") % {"names": ", ".join(sheets)}
        )
    return BundleContents(sheets[0], tuple(members), total)


def check(fileobj):
    """Check an uploaded .zip (its directory only) before it is accepted."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return inspect(archive)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise BundleError(_("The .zip file is damaged: %(error)s") % {"error": exc}) from exc
    finally:
        fileobj.seek(0)


def _extract(archive, info, target, budget):
    """Copy one member, counting its real bytes against its declared size and ``budget``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, open(target, "wb") as out:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > info.file_size or written > budget:
                raise BundleError(
                    _("%(name)s unpacks to more than it declares.") % {"name": info.filename}
                )
            out.write(chunk)
    return written


@contextlib.contextmanager
def unpacked(path, work_dir=None):
    """Unpack the bundle at ``path`` into a temporary folder; yields (sheet path, media dir).

    The folder goes when the block ends: ingest copies every master into
    storage, so nothing refers to it afterwards.
    """
    folder = Path(tempfile.mkdtemp(prefix="import-bundle-", dir=work_dir))
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                contents = inspect(archive)
                budget = max_upload_bytes()
                for info in contents.members:
                    budget -= _extract(archive, info, folder / info.filename, budget)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BundleError(_("The .zip file is damaged: %(error)s") % {"error": exc}) from exc
        sheet = folder / contents.sheet
        yield sheet, sheet.parent
    finally:
        shutil.rmtree(folder, ignore_errors=True)
