"""Helpers for the pipeline tests: sample files made on the spot, links, stored files.

The fixtures these tests share (``work_dirs``, ``tiny``, ``officer``) are in ``conftest.py``.
"""

import io
import os
import re
import struct
import zlib

from PIL import Image

from heritage.models import RecordMedia
from media_pipeline.jobs import rendition_root
from media_pipeline.storage import is_local, private_storage, walk
from tests.factories import make_record


def scripts_that_run(html):
    """The page's <script> tags but its JSON-LD, which is data for search engines and never runs."""
    tags = re.findall(r"<script[^>]*>", html)
    return [tag for tag in tags if tag != '<script type="application/ld+json">']


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


def storage_files_of(asset):
    """Every stored rendition file name of the asset."""
    storage = private_storage()
    if is_local(storage) and not os.path.isdir(storage.path(rendition_root(asset))):
        return []
    return sorted(walk(storage, rendition_root(asset)))
