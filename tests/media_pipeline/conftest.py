"""The pipeline tests' fixtures: every sample source, made once per test session by ffmpeg.

The small sources, scratch folders and ``officer`` that tests elsewhere use
too are in ``tests/conftest.py``.
"""

from __future__ import annotations

import shutil

import pytest

from tests.media_pipeline import mediagen

if shutil.which(mediagen._ffmpeg()) is None:  # pragma: no cover - environment guard
    pytest.skip("ffmpeg is not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    """One directory for every generated source file of the session."""
    return tmp_path_factory.mktemp("media-src")


@pytest.fixture(scope="session")
def make_media(media_dir):
    """``make_media(name)`` builds (once) and returns the named sample file."""
    builders = {
        "landscape": lambda d: mediagen.video(d, "landscape.mp4"),
        "full_hd": lambda d: mediagen.video(d, "full_hd.mp4", size="1920x1080", duration=1),
        "portrait": lambda d: mediagen.rotated(d, 90),
        "portrait270": lambda d: mediagen.rotated(d, 270),
        "vfr": mediagen.vfr,
        "odd": lambda d: mediagen.video(
            d, "odd.mp4", size="641x361", duration=2, extra=("-pix_fmt", "yuv444p")
        ),
        "interlaced": mediagen.interlaced,
        "no_audio": lambda d: mediagen.video(d, "silent.mp4", duration=2, audio=False),
        "tiny": lambda d: mediagen.video(d, "tiny.mp4", size="200x150", duration=2),
        "hevc10": mediagen.hevc_10bit,
        "audio_mp4": mediagen.audio_mp4,
        "mp3_cover": mediagen.mp3_with_cover,
        "quiet_wav": mediagen.quiet_wav,
        "silence_then_tone": mediagen.silence_then_tone,
        "cut_faststart": mediagen.faststart_then_cut,
        "truncated": mediagen.truncated_without_moov,
    }
    cache = {}

    def make(name):
        if name == "hevc10" and not mediagen.has_encoder("libx265"):
            pytest.skip("this ffmpeg build has no libx265 encoder to make a 10-bit HEVC source")
        if name not in cache:
            cache[name] = builders[name](media_dir)
        return cache[name]

    return make
