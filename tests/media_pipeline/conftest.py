"""The pipeline tests' fixtures: real files made once per test session by ffmpeg, scratch folders.

Only ``officer`` needs the database, so the ffmpeg tests also run with ``-p no:django``.
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
def officer(db, django_user_model):
    return django_user_model.objects.create_superuser("officer", "o@example.org", "pw")
