"""Where files live: masters, renditions and captions go through Django storage.

Everything the pipeline writes lives in the "private" storage (local folder
or a private S3 prefix) and is served through the access-checked view; see
media_pipeline/views.py for why.
"""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages

CHUNK = 1024 * 1024


def private_storage():
    """Storage for masters, renditions, captions and consent forms: never a public URL."""
    return storages["private"]


def is_local(storage):
    """Whether files have a local path (then they are streamed, not redirected to)."""
    return isinstance(storage, FileSystemStorage)


@contextlib.contextmanager
def local_path(storage, name, work_dir):
    """A local path to read a stored file from: the file itself or a temporary copy."""
    if is_local(storage):
        yield Path(storage.path(name))
        return
    fd, tmp = tempfile.mkstemp(dir=work_dir, suffix=Path(name).suffix)
    try:
        with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
        yield Path(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def walk(storage, prefix):
    """Every file name below a storage folder, recursively."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{prefix}/{name}"
    for sub in dirs:
        yield from walk(storage, f"{prefix}/{sub}")


def delete_prefix(storage, prefix):
    """Delete every file below a storage folder (and the local folder itself)."""
    if not prefix or prefix.strip("/") in ("", "renditions", "masters"):
        raise ValueError(f"refusing to delete storage prefix {prefix!r}")
    for name in list(walk(storage, prefix)):
        storage.delete(name)
    if is_local(storage):
        shutil.rmtree(storage.path(prefix), ignore_errors=True)
