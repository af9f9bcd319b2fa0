"""What a transcode produced: the ``Rendition`` description and its checks.

A ``Rendition`` here describes files on local disk; the job stores it as a
``models.Rendition`` row after uploading the files.  The checks run before
anything is published: ffmpeg exits 0 on a truncated input and writes a
short output, so every output's duration is compared with the source's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from media_pipeline.errors import BadMediaInput, FfmpegFailed, gettext_noop
from media_pipeline.ffmpeg import OWN_HLS_FORMATS, format_duration
from media_pipeline.process import ffprobe_json


@dataclass(frozen=True)
class Rendition:
    """One playable output; every path is POSIX and relative to out_dir.

    ``files`` lists every file the rendition consists of (``path`` included),
    so the storage layer can upload them all.  The HLS master lists only its
    own playlist; each variant owns its playlist, init segment and segments.
    """

    kind: str  # hls_master, hls_variant, mp4, audio, poster, thumbnails, waveform, ...
    name: str  # unique per asset: "hls", "hls-360p", "mp4-720p", "audio-aac", ...
    path: str
    files: tuple[str, ...]
    mime_type: str
    bytes: int
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    bitrate: int | None = None  # average bits per second over the files
    codecs: tuple[str, ...] = field(default=())


_MIME_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".webm": "audio/webm",
    ".ogg": "audio/ogg",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt",
    ".json": "application/json",
}


def content_type(path: str) -> str:
    """Content-Type to store and serve a rendition file with."""
    return _MIME_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def make_rendition(
    out_dir: Path, kind: str, name: str, path: str, files: Sequence[str], **kw
) -> Rendition:
    """Describe files already in out_dir: their total size and average bitrate."""
    total = sum((out_dir / f).stat().st_size for f in files)
    duration = kw.get("duration")
    media = kind in ("hls_variant", "mp4", "audio")
    bitrate = int(total * 8 / duration) if media and duration else None
    return Rendition(
        kind=kind,
        name=name,
        path=path,
        files=tuple(files),
        mime_type=content_type(path),
        bytes=total,
        bitrate=bitrate,
        **kw,
    )


def playlist_duration(path: str | os.PathLike) -> float:
    """Sum of the EXTINF durations of a media playlist."""
    total = 0.0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#EXTINF:"):
                total += float(line[len("#EXTINF:") :].split(",")[0])
    return total


def playlist_files(playlist: Path) -> list[Path]:
    """The init segment and media segments a variant playlist refers to."""
    files = []
    for line in playlist.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-MAP:"):
            match = re.search(r'URI="([^"]+)"', line)
            if match:
                files.append(playlist.parent / match.group(1))
        elif line and not line.startswith("#"):
            files.append(playlist.parent / line)
    return files


def verify_rendition(
    path: str | os.PathLike,
    expected_duration: float,
    tolerance: float = 0.1,
    *,
    name: str | None = None,
) -> float:
    """Check an output's duration against the source; return the duration.

    A short output means a truncated source (BadMediaInput).  HLS playlists
    are checked twice: the EXTINF sum and ffprobe reading the playlist (hls
    demuxer allowed for our outputs only).
    """
    path = os.fspath(path)
    label = name or os.path.basename(path)
    if path.endswith(".m3u8"):
        text = Path(path).read_text(encoding="utf-8")
        if "#EXT-X-STREAM-INF" in text:
            variants = [
                line.strip()
                for line in text.splitlines()
                if line.strip() and not line.startswith("#")
            ]
            durations = [
                verify_rendition(
                    os.path.join(os.path.dirname(path), v), expected_duration, tolerance, name=label
                )
                for v in variants
            ]
            duration = min(durations)
        else:
            duration = playlist_duration(path)
            _check_duration(label, duration, expected_duration, tolerance)
        duration = format_duration(ffprobe_json(path, formats=OWN_HLS_FORMATS))
    else:
        duration = format_duration(ffprobe_json(path))
    _check_duration(label, duration, expected_duration, tolerance)
    return duration


def _check_duration(label: str, actual: float, expected: float, tolerance: float) -> None:
    if abs(actual - expected) > tolerance:
        raise BadMediaInput(
            gettext_noop(
                "rendition %(name)s is %(actual).1f s long but the source is %(expected).1f s: "
                "the source may be truncated"
            ),
            {"name": label, "actual": actual, "expected": expected},
        )


def verify_image(
    path: Path, width: int | None = None, height: int | None = None
) -> tuple[int, int]:
    """Check that ffmpeg wrote a readable picture of the expected size; return its size."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.load()
            size = img.size
    except (UnidentifiedImageError, OSError) as exc:
        raise FfmpegFailed(
            gettext_noop("The image %(name)s could not be created."), {"name": path.name}
        ) from exc
    if (width and size[0] != width) or (height and size[1] != height):
        raise FfmpegFailed(
            gettext_noop("The image %(name)s has the wrong size."), {"name": path.name}
        )
    return size
