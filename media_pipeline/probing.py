"""Describe a local media file: ffprobe through the whitelists, Pillow for photos."""

from __future__ import annotations

import os

from media_pipeline import ffmpeg
from media_pipeline.errors import BadMediaInput, gettext_noop
from media_pipeline.ffmpeg import Probe
from media_pipeline.process import NOT_FOUND, ffprobe_json


def _probe_image(path: str, size: int) -> Probe | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt = (img.format or "image").lower()
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None
    return ffmpeg.image_probe(
        path, size, fmt=fmt, width=width, height=height, orientation=orientation
    )


def probe(path: str | os.PathLike) -> Probe:
    """Describe a local media file; raise a MediaError if it cannot be used.

    Containers outside ACCEPTED_FORMATS are refused before being parsed
    (photos are left to Pillow), so a playlist or concat list disguised as
    a video is never followed.  A file that is not usable media raises
    BadMediaInput; a timeout or a missing ffprobe their own classes.
    """
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise BadMediaInput(NOT_FOUND) from exc
    if size == 0:
        raise BadMediaInput(gettext_noop("The file is empty (0 bytes). Please upload it again."))
    try:
        data = ffprobe_json(path)
    except BadMediaInput:
        image = _probe_image(path, size)
        if image is not None:
            return image
        raise
    info = ffmpeg.parse_probe(data, path=path, size=size)
    if info.kind != "unknown" and not info.duration > 0:
        raise BadMediaInput(
            gettext_noop("The length of this file cannot be determined; it may be damaged.")
        )
    return info
