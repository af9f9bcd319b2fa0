"""The archive's one SHA-256: of masters at ingest, of files named in a sheet, and in audits."""

import hashlib
import io
import os


class _CountingReader(io.RawIOBase):
    """A read-only view of a binary file that reports how many bytes were read.

    ``hashlib.file_digest`` reads through ``readinto``; wrapping it here lets
    a progress bar (or an upload's "bytes hashed") follow a long hash.
    """

    def __init__(self, raw, on_bytes):
        super().__init__()
        self._raw = raw
        self._on_bytes = on_bytes

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._raw.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        if count:
            self._on_bytes(count)
        return count


def _digest(fileobj, on_bytes):
    if on_bytes is not None or not hasattr(fileobj, "readinto"):
        fileobj = _CountingReader(fileobj, on_bytes or (lambda count: None))
    return hashlib.file_digest(fileobj, "sha256").hexdigest()


def sha256_of(source, on_bytes=None):
    """Hex SHA-256 of a file path or of an open binary file (read whole, from the start).

    ``on_bytes(count)`` is called after each block read.  An open file is
    rewound before and after, so the caller can store it next.
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fileobj:
            return _digest(fileobj, on_bytes)
    source.seek(0)
    digest = _digest(source, on_bytes)
    source.seek(0)
    return digest
