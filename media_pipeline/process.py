"""The one place ffmpeg and ffprobe run: timeout, progress, kill, stderr tail.

Every run goes through ``_run``: stderr goes to a temporary file (a chatty
ffmpeg can never block on a full pipe, and its tail explains a failure),
a timer kills the process at its timeout, and anything the stdout reader
raises (a cancelled job, a lost lease) kills it too before propagating.
Failures become the error class their handling needs (``errors.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

from media_pipeline import ffmpeg
from media_pipeline.errors import (
    BadMediaInput,
    FfmpegFailed,
    MediaError,
    MediaTimeout,
    gettext_noop,
)

PROBE_TIMEOUT = 60
STDERR_TAIL = 4000

ProgressCallback = Callable[[float], None]
StdoutReader = Callable[[IO[bytes]], None]

# One whole sentence per step, so each translates as a sentence.
FAILURE_MESSAGES = {
    "processing": gettext_noop("ffmpeg failed while processing this file."),
    "converting": gettext_noop("ffmpeg failed while converting this file."),
    "packaging": gettext_noop("ffmpeg failed while packaging this file."),
    "loudness": gettext_noop("ffmpeg failed while measuring the loudness of this file."),
    "waveform": gettext_noop("ffmpeg failed while drawing the waveform of this file."),
}

UNREADABLE = gettext_noop(
    "This file is not a video or audio file that can be read, or it is damaged."
)
NOT_FOUND = gettext_noop("The file could not be found.")

# (pattern in ffprobe/ffmpeg stderr, officer-facing message): each means the
# input is at fault, so the run fails as BadMediaInput and is not retried.
_BAD_INPUT_STDERR = (
    (
        "moov atom not found",
        gettext_noop(
            "This video file is incomplete: its index (the MP4 'moov' box) is missing, "
            "so the upload or the recording was probably interrupted. "
            "Please upload the original file again."
        ),
    ),
    (
        "not on whitelist",
        gettext_noop(
            "This file type is not accepted. Please upload a video (MP4, MOV, MKV, WebM, "
            "AVI, MPEG, FLV, WMV) or an audio file (MP3, WAV, M4A, AAC, OGG, FLAC)."
        ),
    ),
    ("Invalid data found when processing input", UNREADABLE),
    ("No such file or directory", NOT_FOUND),
)

_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid")


def timeout_for(duration: float, factor: float = 20.0) -> float:
    """Seconds a run over ``duration`` seconds of media may take before it is killed.

    Generous (2 cores, a 1080p ladder); a stuck process still gets killed.
    """
    return 120.0 + factor * max(duration, 1.0)


def _looks_like_mp4(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head[4:8] in _MP4_BOXES


def _failure(
    stderr: str, otherwise: type[MediaError], message: str, *, path: str | None = None
) -> MediaError:
    """The error a failed run means: BadMediaInput when stderr blames the input."""
    tail = stderr[-STDERR_TAIL:]
    for pattern, bad_input in _BAD_INPUT_STDERR:
        if pattern in stderr:
            # The mov demuxer is also tried on anything named .mp4; only a
            # file that starts like an MP4 is an interrupted one.
            if pattern == "moov atom not found" and path and not _looks_like_mp4(path):
                continue
            return BadMediaInput(bad_input, stderr_tail=tail)
    return otherwise(message, stderr_tail=tail)


def _tail(fileobj: IO[bytes], limit: int) -> str:
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(max(0, end - limit))
    return fileobj.read().decode("utf-8", "replace")


@dataclass(frozen=True)
class _Exit:
    returncode: int
    timed_out: bool
    stderr_tail: str


def _run(
    args: Sequence[str],
    *,
    timeout: float,
    read_stdout: StdoutReader,
    missing: str,
    keep_stderr: int = STDERR_TAIL,
    cwd: str | os.PathLike | None = None,
) -> _Exit:
    """Run an argument list; ``read_stdout`` consumes its stdout until it closes."""
    timed_out = threading.Event()
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(  # noqa: S603 - argument list, fixed binary
                list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, cwd=cwd
            )
        except FileNotFoundError as exc:
            raise FfmpegFailed(missing) from exc

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            read_stdout(proc.stdout)
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
            proc.stdout.close()
        return _Exit(proc.returncode, timed_out.is_set(), _tail(err, keep_stderr))


def _progress_reader(duration: float | None, on_progress: ProgressCallback | None):
    """Turn ``-progress pipe:1`` lines into percentages of ``duration``."""

    def read(stdout: IO[bytes]) -> None:
        for raw in stdout:
            line = raw.decode("ascii", "replace").strip()
            if on_progress and duration and line.startswith("out_time_us="):
                value = line.partition("=")[2]
                if value.lstrip("-").isdigit():
                    done = int(value) / 1e6 / duration * 100.0
                    on_progress(min(100.0, max(0.0, done)))

    return read


def _ffmpeg_failure(finished: _Exit, timeout: float, what: str) -> MediaError | None:
    if finished.timed_out:
        return MediaTimeout(
            gettext_noop("Processing this file took too long (more than %(seconds)d s)."),
            {"seconds": int(timeout)},
            stderr_tail=finished.stderr_tail[-STDERR_TAIL:],
        )
    if finished.returncode != 0:
        return _failure(finished.stderr_tail, FfmpegFailed, FAILURE_MESSAGES[what])
    return None


def run_ffmpeg(
    args: Sequence[str],
    *,
    timeout: float,
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    what: str = "processing",
    keep_stderr: int = STDERR_TAIL,
    cwd: str | os.PathLike | None = None,
) -> str:
    """Run an ffmpeg argument list, reporting progress; return the stderr tail.

    Progress comes from ``-progress pipe:1`` (added here) against
    ``duration``.  The process is killed at ``timeout`` (MediaTimeout) or if
    ``on_progress`` raises (the exception propagates).  A failure is
    BadMediaInput when stderr blames the input, else FfmpegFailed with the
    sentence for step ``what``.
    """
    args = [args[0], "-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1", *args[1:]]
    finished = _run(
        args,
        timeout=timeout,
        read_stdout=_progress_reader(duration, on_progress),
        missing=gettext_noop("ffmpeg is not installed on the server."),
        keep_stderr=keep_stderr,
        cwd=cwd,
    )
    failure = _ffmpeg_failure(finished, timeout, what)
    if failure is not None:
        raise failure
    return finished.stderr_tail


def pipe_ffmpeg(
    args: Sequence[str], read_stdout: StdoutReader, *, timeout: float, what: str
) -> None:
    """Run an ffmpeg that writes data (not progress) to stdout, for ``read_stdout``."""
    args = [args[0], "-hide_banner", "-nostdin", "-nostats", *args[1:]]
    finished = _run(
        args,
        timeout=timeout,
        read_stdout=read_stdout,
        missing=gettext_noop("ffmpeg is not installed on the server."),
    )
    failure = _ffmpeg_failure(finished, timeout, what)
    if failure is not None:
        raise failure


def ffprobe_json(
    path: str, *, formats: str = ffmpeg.ACCEPTED_FORMATS, extra: Sequence[str] = ()
) -> dict:
    """ffprobe's format and streams for a local file; the input's fault is BadMediaInput."""
    chunks: list[bytes] = []
    finished = _run(
        ffmpeg.ffprobe_command(path, formats=formats, extra=extra),
        timeout=PROBE_TIMEOUT,
        read_stdout=lambda stdout: chunks.append(stdout.read()),
        missing=gettext_noop("ffprobe is not installed on the server."),
    )
    if finished.timed_out:
        raise MediaTimeout(gettext_noop("Reading this file took too long; it may be damaged."))
    if finished.returncode != 0:
        raise _failure(finished.stderr_tail, BadMediaInput, UNREADABLE, path=path)
    try:
        return json.loads(b"".join(chunks) or b"{}")
    except json.JSONDecodeError as exc:
        raise BadMediaInput(gettext_noop("This file could not be read as audio or video.")) from exc
