"""The one runner: real ffmpeg runs that time out, meet bad input or fail on their own.

Each failure arrives as the class its handling needs, so the job can decide
retries without reading messages.
"""

from __future__ import annotations

import os
import time

import pytest
from django.utils import translation

from media_pipeline import ffmpeg
from media_pipeline.errors import BadMediaInput, FfmpegFailed, MediaTimeout
from media_pipeline.probing import probe
from media_pipeline.process import ffprobe_json, pipe_ffmpeg, run_ffmpeg


def endless_encode(*output: str) -> list[str]:
    """Ten minutes of generated 720p video: far longer than any timeout below."""
    return [
        ffmpeg.ffmpeg_binary(),
        "-f",
        "lavfi",
        "-i",
        "testsrc2=duration=600:size=1280x720:rate=30",
        "-c:v",
        "mpeg4",
        *(output or ("-f", "null", "-")),
    ]


def copy_command(src, target, codec="copy") -> list[str]:
    return (
        ffmpeg.media_input(src)
        .output(str(target), **{"c:v": codec})
        .global_args("-v", "error")
        .compile(cmd=ffmpeg.ffmpeg_binary())
    )


def test_a_run_past_its_timeout_is_killed_and_raises_media_timeout():
    seen = []
    started = time.monotonic()
    with pytest.raises(MediaTimeout, match=r"took too long \(more than 1 s\)") as exc:
        run_ffmpeg(endless_encode(), timeout=1.0, duration=600.0, on_progress=seen.append)
    # Killed at the timeout, not left to encode ten minutes.
    assert time.monotonic() - started < 15
    assert exc.value.params == {"seconds": 1}
    assert all(0.0 <= p < 10.0 for p in seen)


def test_a_pipe_past_its_timeout_is_killed_too():
    read = []
    with pytest.raises(MediaTimeout):
        pipe_ffmpeg(
            endless_encode("-f", "rawvideo", "pipe:1"),
            lambda stdout: read.append(len(stdout.read())),
            timeout=1.0,
            what="waveform",
        )
    assert read and read[0] > 0  # the reader got data until the kill closed the pipe


def test_a_cancelled_run_is_killed_and_the_cancel_propagates():
    class Cancelled(Exception):
        pass

    def cancel(percent):
        raise Cancelled

    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_ffmpeg(endless_encode(), timeout=60.0, duration=600.0, on_progress=cancel)
    assert time.monotonic() - started < 15


def test_a_file_without_its_moov_is_bad_input(make_media, tmp_path):
    with pytest.raises(BadMediaInput, match="incomplete") as exc:
        run_ffmpeg(copy_command(make_media("truncated"), tmp_path / "out.mp4"), timeout=60)
    assert "moov atom not found" in exc.value.stderr_tail


def test_random_bytes_are_bad_input_for_ffprobe(tmp_path):
    path = tmp_path / "clip.mkv"
    path.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(BadMediaInput, match="not a video or audio file"):
        ffprobe_json(str(path))


def test_an_ffmpeg_failure_not_caused_by_the_input_is_ffmpeg_failed(make_media, tmp_path):
    src = make_media("landscape")
    with pytest.raises(FfmpegFailed) as exc:
        run_ffmpeg(
            copy_command(src, tmp_path / "out.mp4", codec="no_such_encoder"),
            timeout=60,
            what="converting",
        )
    assert exc.value.message == "ffmpeg failed while converting this file."
    assert "no_such_encoder" in exc.value.stderr_tail
    assert not isinstance(exc.value, BadMediaInput)


def test_a_missing_ffmpeg_is_ffmpeg_failed(tmp_path):
    with pytest.raises(FfmpegFailed, match="ffmpeg is not installed"):
        run_ffmpeg([str(tmp_path / "no-ffmpeg-here"), "-version"], timeout=10)


def test_bad_input_messages_reach_officers_in_vietnamese(make_media):
    with pytest.raises(BadMediaInput) as exc:
        probe(make_media("truncated"))
    with translation.override("vi"):
        vietnamese = exc.value.user_message()
    assert vietnamese.startswith("Tệp video này không hoàn chỉnh")
    assert exc.value.message.startswith("This video file is incomplete")
