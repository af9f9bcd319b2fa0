"""Transcoding a video or a recording: the steps, in order, with their checks.

The pure argument builders live in ``ffmpeg.py``, the runner in
``process.py``, atomic outputs in ``staging.py``; this module strings them
together.  Every function works on local paths only: the job downloads the
master, calls these and uploads what they return.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from media_pipeline import ffmpeg, profiles
from media_pipeline.errors import BadMediaInput, FfmpegFailed, gettext_noop
from media_pipeline.ffmpeg import LoudnessMeasure, Probe
from media_pipeline.process import ProgressCallback, run_ffmpeg, timeout_for
from media_pipeline.profiles import Rung
from media_pipeline.renditions import (
    Rendition,
    make_rendition,
    playlist_files,
    verify_image,
    verify_rendition,
)
from media_pipeline.staging import publish, staging_dir
from media_pipeline.thumbnail_vtt import write_sprite_vtt
from media_pipeline.waveform import waveform_peaks, write_waveform_json


class _Progress:
    """Maps the progress of successive steps onto one 0-100 scale."""

    def __init__(self, callback: ProgressCallback | None):
        self.callback = callback
        self.last = 0.0

    def step(self, start: float, end: float) -> ProgressCallback | None:
        if self.callback is None:
            return None

        def report(percent: float) -> None:
            self.report(start + (end - start) * percent / 100.0)

        return report

    def report(self, percent: float) -> None:
        if self.callback is not None and percent >= self.last:
            self.last = percent
            self.callback(round(percent, 1))


_LOUDNESS_UNMEASURED = gettext_noop("The loudness of the audio could not be measured.")


def analyse_loudness(src: str | os.PathLike, audio_index: int, duration: float) -> LoudnessMeasure:
    """loudnorm pass 1: measure the audio stream (video is not decoded)."""
    tail = run_ffmpeg(
        ffmpeg.loudness_analysis_command(src, audio_index),
        timeout=timeout_for(duration, 2.0),
        what="loudness",
        keep_stderr=20000,
    )
    measure = ffmpeg.parse_loudness_analysis(tail)
    if measure is None:
        raise FfmpegFailed(_LOUDNESS_UNMEASURED, stderr_tail=tail)
    return measure


def measure_loudness(path: str | os.PathLike) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the first audio stream, by ebur128."""
    tail = run_ffmpeg(ffmpeg.ebur128_command(path), timeout=600, what="loudness", keep_stderr=8000)
    figures = ffmpeg.parse_ebur128_summary(tail)
    if figures is None:
        raise FfmpegFailed(_LOUDNESS_UNMEASURED, stderr_tail=tail)
    return figures


def _concat_files(parts: Sequence[Path], target: Path) -> None:
    with open(target, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)


def transcode_video(
    src: str | os.PathLike,
    out_dir: str | os.PathLike,
    probe: Probe,
    *,
    preset: str | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
) -> list[Rendition]:
    """Encode a video into the HLS ladder, a progressive MP4 and companions.

    Outputs (relative to out_dir): ``hls/master.m3u8`` and
    ``hls/<rung>/{index.m3u8,init.mp4,seg_*.m4s}``, ``video.mp4`` (the
    rung at or below 720p, remuxed from its HLS segments, faststart),
    ``audio.m4a`` (AAC 64 kbps, loudness normalised; only if the source has
    audio), ``poster.jpg``, ``thumbnails.jpg`` + ``thumbnails.vtt``.
    Everything is verified against the source duration and only then moved
    into out_dir, replacing a previous run's outputs.
    """
    if probe.kind != "video" or probe.video is None:
        raise BadMediaInput(gettext_noop("This file has no video to convert."))
    out_dir = Path(out_dir)
    video = probe.video
    rungs = profiles.select_rungs(video.display_width, video.display_height)
    progress = _Progress(on_progress)
    timeout = timeout or timeout_for(probe.duration)
    with staging_dir(out_dir) as staging:
        loudness = None
        if probe.audio is not None:
            loudness = analyse_loudness(src, probe.audio.index, probe.duration)
        progress.report(3.0)
        (staging / "hls").mkdir()
        args = ffmpeg.build_video_command(
            src, staging, probe, rungs, preset=preset or profiles.DEFAULT_PRESET, loudness=loudness
        )
        run_ffmpeg(
            args,
            timeout=timeout,
            duration=probe.duration,
            on_progress=progress.step(3.0, 95.0),
            what="converting",
            cwd=staging / "hls",
        )
        renditions = _finish_video(src, staging, probe, rungs)
        progress.report(99.0)
        names = ["hls", "video.mp4", "poster.jpg", "thumbnails.jpg", "thumbnails.vtt"]
        if probe.audio is not None:
            names.append("audio.m4a")
        publish(staging, out_dir, names)
    progress.report(100.0)
    return [make_rendition(out_dir, **r) for r in renditions]


def _finish_video(src, staging: Path, info: Probe, rungs: Sequence[Rung]) -> list[dict]:
    """Remux the MP4, write the VTT, verify everything; return rendition specs."""
    video = info.video
    dw, dh = video.display_width, video.display_height
    expected = info.duration
    codecs = ("h264", "aac") if info.audio else ("h264",)
    specs: list[dict] = []

    verify_rendition(staging / "hls" / "master.m3u8", expected, name="hls")
    specs.append(
        {
            "kind": "hls_master",
            "name": "hls",
            "path": "hls/master.m3u8",
            "files": ["hls/master.m3u8"],
            "duration": expected,
            "codecs": codecs,
        }
    )
    for rung in rungs:
        playlist = staging / "hls" / rung.name / "index.m3u8"
        duration = verify_rendition(playlist, expected, name=rung.name)
        files = [playlist, *playlist_files(playlist)]
        w, h = profiles.rung_size(rung, dw, dh)
        specs.append(
            {
                "kind": "hls_variant",
                "name": f"hls-{rung.name}",
                "path": f"hls/{rung.name}/index.m3u8",
                "files": [p.relative_to(staging).as_posix() for p in files],
                "duration": duration,
                "width": w,
                "height": h,
                "codecs": codecs,
            }
        )

    # The progressive MP4 is the chosen rung's CMAF segments remuxed: a byte
    # concatenation of init + segments is one fragmented MP4, and a copy
    # remux with faststart makes it a plain progressive file.  No re-encode.
    rung = profiles.mp4_rung(tuple(rungs))
    playlist = staging / "hls" / rung.name / "index.m3u8"
    joined = staging / "joined.mp4"
    _concat_files(playlist_files(playlist), joined)
    run_ffmpeg(
        ffmpeg.remux_command(joined, staging / "video.mp4"),
        timeout=timeout_for(expected, 1.0),
        what="packaging",
    )
    joined.unlink()
    duration = verify_rendition(staging / "video.mp4", expected, name=f"mp4-{rung.name}")
    w, h = profiles.rung_size(rung, dw, dh)
    specs.append(
        {
            "kind": "mp4",
            "name": f"mp4-{rung.name}",
            "path": "video.mp4",
            "files": ["video.mp4"],
            "duration": duration,
            "width": w,
            "height": h,
            "codecs": codecs,
        }
    )
    if info.audio is not None:
        duration = verify_rendition(staging / "audio.m4a", expected, name="audio")
        specs.append(
            {
                "kind": "audio",
                "name": "audio-aac",
                "path": "audio.m4a",
                "files": ["audio.m4a"],
                "duration": duration,
                "codecs": ("aac",),
            }
        )

    pw, ph = verify_image(staging / "poster.jpg")
    specs.append(
        {
            "kind": "poster",
            "name": "poster",
            "path": "poster.jpg",
            "files": ["poster.jpg"],
            "width": pw,
            "height": ph,
            "codecs": ("mjpeg",),
        }
    )
    layout = ffmpeg.sprite_layout(expected)
    tile_w, tile_h = ffmpeg.sprite_tile_size(dw, dh)
    sw, sh = verify_image(staging / "thumbnails.jpg", tile_w * layout[0], tile_h * layout[1])
    write_sprite_vtt(staging / "thumbnails.vtt", "thumbnails.jpg", expected, layout, tile_w, tile_h)
    specs.append(
        {
            "kind": "thumbnails",
            "name": "thumbnails",
            "path": "thumbnails.vtt",
            "files": ["thumbnails.vtt", "thumbnails.jpg"],
            "width": sw,
            "height": sh,
            "duration": expected,
            "codecs": ("mjpeg",),
        }
    )
    return specs


def transcode_audio(
    src: str | os.PathLike,
    out_dir: str | os.PathLike,
    probe: Probe,
    *,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
) -> list[Rendition]:
    """Encode an audio asset (or the audio of any file) for streaming.

    Outputs (relative to out_dir): ``audio.m4a`` (AAC, faststart),
    ``audio.webm`` (Opus) and ``waveform.json``.  Two-pass loudnorm to
    -16 LUFS / -1 dBTP; cover art and video are ignored.
    """
    if probe.audio is None:
        raise BadMediaInput(gettext_noop("This file has no sound to convert."))
    out_dir = Path(out_dir)
    progress = _Progress(on_progress)
    timeout = timeout or timeout_for(probe.duration, 5.0)
    expected = probe.duration
    with staging_dir(out_dir) as staging:
        loudness = analyse_loudness(src, probe.audio.index, expected)
        progress.report(10.0)
        args = ffmpeg.build_audio_command(src, staging, probe, loudness)
        run_ffmpeg(
            args,
            timeout=timeout,
            duration=expected,
            on_progress=progress.step(10.0, 85.0),
            what="converting",
        )
        peaks = waveform_peaks(src)
        write_waveform_json(staging / "waveform.json", expected, peaks)
        progress.report(95.0)
        specs = []
        for name, path, codec in (
            ("audio-aac", "audio.m4a", "aac"),
            ("audio-opus", "audio.webm", "opus"),
        ):
            duration = verify_rendition(staging / path, expected, name=name)
            specs.append(
                {
                    "kind": "audio",
                    "name": name,
                    "path": path,
                    "files": [path],
                    "duration": duration,
                    "codecs": (codec,),
                }
            )
        specs.append(
            {
                "kind": "waveform",
                "name": "waveform",
                "path": "waveform.json",
                "files": ["waveform.json"],
                "duration": expected,
            }
        )
        publish(staging, out_dir, ["audio.m4a", "audio.webm", "waveform.json"])
    progress.report(100.0)
    return [make_rendition(out_dir, **s) for s in specs]
