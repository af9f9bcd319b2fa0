"""The one SHA-256 helper: paths and open files, with a count of the bytes read."""

import hashlib
import io
import os

import pytest

from media_pipeline.fixity import sha256_of

DATA = os.urandom(3 * 1024 * 1024 + 5)
EXPECTED = hashlib.sha256(DATA).hexdigest()


class ReadOnlyStream:
    """A storage file that offers only read() and seek(), like some remote backends."""

    def __init__(self, data):
        self._buffer = io.BytesIO(data)

    def read(self, size=-1):
        return self._buffer.read(size)

    def seek(self, offset):
        return self._buffer.seek(offset)

    def tell(self):
        return self._buffer.tell()


@pytest.mark.parametrize("kind", ["path", "file", "read-only"])
def test_every_kind_of_source_gives_the_same_digest_and_counts_every_byte(tmp_path, kind):
    path = tmp_path / "master.bin"
    path.write_bytes(DATA)
    counted = []
    if kind == "path":
        digest = sha256_of(path, on_bytes=counted.append)
    else:
        stream = open(path, "rb") if kind == "file" else ReadOnlyStream(DATA)  # noqa: SIM115
        stream.read(100)  # a file already read from is hashed from its start
        digest = sha256_of(stream, on_bytes=counted.append)
        assert stream.tell() == 0  # rewound, ready to be stored
        if kind == "file":
            stream.close()
    assert digest == EXPECTED
    assert sum(counted) == len(DATA) and len(counted) > 1


def test_without_a_callback(tmp_path):
    path = tmp_path / "m.bin"
    path.write_bytes(DATA)
    assert sha256_of(str(path)) == EXPECTED
    assert sha256_of(ReadOnlyStream(b"")) == hashlib.sha256(b"").hexdigest()
