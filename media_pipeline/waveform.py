"""Waveform peaks of a recording, for the audio player's drawing."""

from __future__ import annotations

import json
import math
import os
from array import array
from pathlib import Path
from typing import IO

from media_pipeline import ffmpeg, profiles
from media_pipeline.errors import BadMediaInput, gettext_noop
from media_pipeline.probing import probe
from media_pipeline.process import pipe_ffmpeg, timeout_for


def _slice_peaks(stdout: IO[bytes], per_point: int, peaks: list[float]) -> None:
    """Append the peak (0..1) of every ``per_point`` s16le samples read from stdout."""
    pending = array("h")
    chunk_bytes = per_point * 2 * 64
    while data := stdout.read(chunk_bytes):
        buf = array("h")
        buf.frombytes(data[: len(data) - len(data) % 2])
        pending.extend(buf)
        while len(pending) >= per_point:
            part = pending[:per_point]
            del pending[:per_point]
            peaks.append(max(max(part), -min(part)) / 32768.0)
    if pending:
        peaks.append(max(max(pending), -min(pending)) / 32768.0)


def waveform_peaks(
    src: str | os.PathLike,
    points: int = profiles.WAVEFORM_POINTS,
    *,
    normalize: bool = True,
) -> list[float]:
    """Peak amplitude (0..1) of ``points`` equal slices of the first audio stream.

    ffmpeg decodes to 8 kHz mono s16le on a pipe, read in chunks, so a
    two-hour recording never sits in memory.  With ``normalize`` the
    loudest slice is 1.0, so quiet recordings still draw a visible shape.
    """
    info = probe(src)
    if info.audio is None:
        raise BadMediaInput(gettext_noop("This file has no sound to convert."))
    total = max(1, int(info.duration * profiles.WAVEFORM_SAMPLE_RATE))
    per_point = max(1, math.ceil(total / points))
    peaks: list[float] = []
    pipe_ffmpeg(
        ffmpeg.waveform_pcm_command(src, info.audio.index),
        lambda stdout: _slice_peaks(stdout, per_point, peaks),
        timeout=timeout_for(info.duration, 2.0),
        what="waveform",
    )
    # Decoded length can differ from the container's by a few samples.
    if len(peaks) > points:
        peaks[points - 1 :] = [max(peaks[points - 1 :])]
    peaks += [0.0] * (points - len(peaks))
    if normalize and peaks:
        top = max(peaks)
        if top > 0:
            peaks = [p / top for p in peaks]
    return [round(min(1.0, p), 4) for p in peaks]


def write_waveform_json(path: Path, duration: float, peaks: list[float]) -> None:
    """The file the player fetches: duration and peaks, compact."""
    path.write_text(
        json.dumps({"duration": duration, "peaks": peaks}, separators=(",", ":")),
        encoding="utf-8",
    )
