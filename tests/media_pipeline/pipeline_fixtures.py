"""Fixtures for the pipeline tests (ingest, jobs, serving); imported by the test modules."""

import io
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from heritage.models import RecordMedia
from tests.factories import make_record
from tests.media_pipeline import mediagen


@pytest.fixture
def work_dirs(settings, tmp_path):
    """Job scratch space and the tus upload area in this test's own folders."""
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    settings.MEDIA_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Small sources made once: 1 s 320x180 video with sound, a WAV, a photo."""
    d = tmp_path_factory.mktemp("tiny")
    return {
        "video": mediagen.video(d, "clip.mp4", size="320x180", duration=1),
        "wav": mediagen.tone_wav(d, "tone.wav", -12.0),
        "truncated": mediagen.truncated_without_moov(d),
        "dir": d,
    }


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser("officer", "o@example.org", "pw")


def link_to_public_record(asset, title="Lễ hội Lồng Tồng"):
    """Make the asset publicly visible: linked to a published public record."""
    page = make_record(title)
    RecordMedia.objects.create(page=page, asset=asset)
    return page


def jpeg_with_exif(path, size=(800, 600), orientation=6):
    """A JPEG tagged with a rotation and a GPS position, like a phone photo."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 4))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (21.0, 1.0, 30.0)
    gps[3] = "E"
    gps[4] = (105.0, 51.0, 0.0)
    img.save(path, "JPEG", exif=exif.tobytes(), quality=90)
    return path


def png_bomb(path, width=60000, height=60000):
    """A PNG whose header claims 3.6 gigapixels: Pillow must refuse to decode it."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = zlib.compress(row * 16)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def truncated_jpeg(path):
    buf = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buf, "JPEG", quality=90)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return path
