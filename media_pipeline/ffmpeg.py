"""Pure ffmpeg knowledge: argument lists, filter graphs and probe parsing.

Nothing here runs a process or touches a file: ``process.py`` runs what these
functions build, ``transcode.py`` orchestrates.  Every ffmpeg and ffprobe
command built here reads its inputs through a container whitelist and the
``file`` protocol only, so an uploaded playlist or concat list cannot make
ffmpeg open other files on the server.

Imports only the standard library, ffmpeg-python and the ladder data
(tests/test_ffmpeg_purity.py checks this).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg

from media_pipeline import profiles
from media_pipeline.profiles import Rung

# Demuxer names as ffmpeg spells them (a demuxer passes when any of its
# comma-separated names is listed).  No hls, concat, image2 or data formats.
ACCEPTED_FORMATS = (
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,wav,mp3,ogg,flac,aac,asf"
)
# Our own HLS outputs only; segments are fragmented MP4.
OWN_HLS_FORMATS = "hls,mov,mp4,m4a,3gp,3g2,mj2"
PROTOCOLS = "file"


def ffmpeg_binary() -> str:
    """The ffmpeg executable, from FFMPEG_BINARY."""
    return os.environ.get("FFMPEG_BINARY", "ffmpeg")


def ffprobe_binary() -> str:
    """The ffprobe executable, from FFPROBE_BINARY."""
    return os.environ.get("FFPROBE_BINARY", "ffprobe")


# --- probe parsing -----------------------------------------------------------


@dataclass(frozen=True)
class VideoInfo:
    """The main (non cover-art) video stream."""

    index: int
    codec: str
    profile: str | None
    pix_fmt: str | None
    bit_depth: int
    width: int
    height: int
    rotation: int  # 0, 90, 180 or 270, as the legacy MP4 "rotate" tag
    display_width: int  # after rotation and sample aspect ratio
    display_height: int
    frame_rate: Fraction  # avg_frame_rate
    r_frame_rate: Fraction
    variable_frame_rate: bool
    interlaced: bool
    field_order: str | None


@dataclass(frozen=True)
class AudioInfo:
    """The first audio stream."""

    index: int
    codec: str
    channels: int
    sample_rate: int


@dataclass(frozen=True)
class Probe:
    """What ffprobe (or Pillow for photos) says about a file."""

    path: str
    kind: str  # "video", "audio", "image" or "unknown", by content only
    container: str  # ffprobe format_name, or the Pillow format for images
    duration: float  # seconds; 0.0 for images
    size: int  # bytes
    bit_rate: int | None
    video: VideoInfo | None
    audio: AudioInfo | None
    has_attached_pic: bool  # cover art, never counted as video
    title: str = ""  # the container's own title tag, if it has one


def _fraction(value: str | None) -> Fraction:
    try:
        num, _, den = (value or "0/1").partition("/")
        den_i = int(den or 1)
        return Fraction(int(num), den_i) if den_i else Fraction(0)
    except ValueError:
        return Fraction(0)


def _bit_depth(stream: dict) -> int:
    raw = stream.get("bits_per_raw_sample")
    if raw and str(raw).isdigit():
        return int(raw)
    match = re.search(r"p(\d+)(?:le|be)$", stream.get("pix_fmt") or "")
    return int(match.group(1)) if match else 8


def _rotation(stream: dict) -> int:
    # Same sense as the legacy "rotate" tag on this ffprobe.  Only the
    # quarter turns matter here: ffmpeg's autorotate does the actual turning.
    angle = None
    for side in stream.get("side_data_list") or ():
        if "rotation" in side:
            angle = float(side["rotation"])
            break
    if angle is None:
        tag = (stream.get("tags") or {}).get("rotate")
        try:
            angle = float(tag) if tag is not None else 0.0
        except ValueError:
            angle = 0.0
    return int(round(angle / 90.0)) * 90 % 360


def _video_info(stream: dict) -> VideoInfo:
    width = int(stream.get("width") or 0)
    height = int(stream.get("height") or 0)
    rotation = _rotation(stream)
    sar = _fraction(stream.get("sample_aspect_ratio", "1/1").replace(":", "/"))
    display_w, display_h = width, height
    if sar > 0 and sar != 1:
        display_w = max(2, round(width * sar))
    if rotation in (90, 270):
        display_w, display_h = display_h, display_w
    avg = _fraction(stream.get("avg_frame_rate"))
    real = _fraction(stream.get("r_frame_rate"))
    variable = bool(avg and real and abs(float(real - avg)) > 0.005 * float(real))
    field_order = stream.get("field_order")
    return VideoInfo(
        index=int(stream["index"]),
        codec=stream.get("codec_name", "unknown"),
        profile=stream.get("profile"),
        pix_fmt=stream.get("pix_fmt"),
        bit_depth=_bit_depth(stream),
        width=width,
        height=height,
        rotation=rotation,
        display_width=display_w,
        display_height=display_h,
        frame_rate=avg or real,
        r_frame_rate=real,
        variable_frame_rate=variable,
        interlaced=field_order in ("tt", "bb", "tb", "bt"),
        field_order=field_order,
    )


def format_duration(data: dict) -> float:
    """The container duration ffprobe reported, in seconds (0.0 when it has none)."""
    try:
        return float((data.get("format") or {}).get("duration") or 0.0)
    except ValueError:
        return 0.0


def format_title(data: dict) -> str:
    """The container's title tag (``format.tags.title``; tag case varies by muxer), or ""."""
    tags = (data.get("format") or {}).get("tags") or {}
    for key, value in tags.items():
        if key.lower() == "title" and isinstance(value, str):
            return " ".join(value.split())[:255]
    return ""


def parse_probe(data: dict, *, path: str, size: int) -> Probe:
    """A Probe from ffprobe's ``-show_format -show_streams`` JSON.

    Cover art (an attached picture) is never the video; ``kind`` is
    "unknown" when there is neither picture nor sound.
    """
    fmt = data.get("format") or {}
    video = audio = None
    attached = False
    for stream in data.get("streams") or []:
        kind = stream.get("codec_type")
        if kind == "video":
            if (stream.get("disposition") or {}).get("attached_pic"):
                attached = True
            elif video is None:
                video = _video_info(stream)
        elif kind == "audio" and audio is None:
            audio = AudioInfo(
                index=int(stream["index"]),
                codec=stream.get("codec_name", "unknown"),
                channels=int(stream.get("channels") or 0),
                sample_rate=int(stream.get("sample_rate") or 0),
            )
    bit_rate = fmt.get("bit_rate")
    return Probe(
        path=path,
        kind="video" if video else "audio" if audio else "unknown",
        container=fmt.get("format_name", "unknown"),
        duration=format_duration(data),
        size=size,
        bit_rate=int(bit_rate) if bit_rate and str(bit_rate).isdigit() else None,
        video=video,
        audio=audio,
        has_attached_pic=attached,
        title=format_title(data),
    )


def image_probe(
    path: str, size: int, *, fmt: str, width: int, height: int, orientation: int
) -> Probe:
    """A Probe for a photo from what Pillow read (format, size, EXIF orientation)."""
    rotation = {3: 180, 6: 90, 8: 270}.get(orientation, 0)
    display_w, display_h = (height, width) if rotation in (90, 270) else (width, height)
    video = VideoInfo(
        index=0,
        codec=fmt,
        profile=None,
        pix_fmt=None,
        bit_depth=8,
        width=width,
        height=height,
        rotation=rotation,
        display_width=display_w,
        display_height=display_h,
        frame_rate=Fraction(0),
        r_frame_rate=Fraction(0),
        variable_frame_rate=False,
        interlaced=False,
        field_order=None,
    )
    return Probe(path, "image", fmt, 0.0, size, None, video, None, False)


def ffprobe_command(
    path: str, *, formats: str = ACCEPTED_FORMATS, extra: Sequence[str] = ()
) -> list[str]:
    """ffprobe printing format and streams as JSON, through the whitelists."""
    return [
        ffprobe_binary(),
        "-v",
        "error",
        "-format_whitelist",
        formats,
        "-protocol_whitelist",
        PROTOCOLS,
        *extra,
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        path,
    ]


# --- inputs and small helpers ------------------------------------------------


def media_input(path: str | os.PathLike, **kwargs):
    """An ffmpeg-python input restricted to our containers and local files."""
    return ffmpeg.input(
        os.fspath(path), format_whitelist=ACCEPTED_FORMATS, protocol_whitelist=PROTOCOLS, **kwargs
    )


def _kbps(bits: int) -> str:
    return f"{bits // 1000}k"


def _scale(stream, width: int, height: int):
    return stream.filter("scale", width, height).filter("setsar", 1)


def sprite_layout(duration: float) -> tuple[int, int, float]:
    """(columns, rows, seconds per tile) for the thumbnail sprite."""
    max_tiles = profiles.SPRITE_COLUMNS * profiles.SPRITE_ROWS
    tiles = max(1, min(max_tiles, int(duration)))
    columns = min(profiles.SPRITE_COLUMNS, tiles)
    rows = math.ceil(tiles / columns)
    return columns, rows, duration / tiles


def sprite_tile_size(display_w: int, display_h: int) -> tuple[int, int]:
    """One sprite tile: fixed width, height after the display aspect ratio."""
    width = profiles.SPRITE_TILE_WIDTH
    return width, profiles.even(width * display_h / display_w)


# --- loudness ------------------------------------------------------------------


@dataclass(frozen=True)
class LoudnessMeasure:
    """loudnorm first-pass figures."""

    input_i: float
    input_tp: float
    input_lra: float
    input_thresh: float
    target_offset: float


def _as_float(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return -math.inf


def loudness_analysis_command(src: str | os.PathLike, audio_index: int) -> list[str]:
    """loudnorm pass 1 on one audio stream (video is not decoded); figures go to stderr."""
    target = profiles.LOUDNESS
    return (
        media_input(src)[str(audio_index)]
        .filter(
            "loudnorm",
            I=target.integrated,
            TP=target.true_peak,
            LRA=target.lra,
            print_format="json",
        )
        .output("-", f="null")
        .global_args("-v", "info")
        .compile(cmd=ffmpeg_binary())
    )


def parse_loudness_analysis(stderr: str) -> LoudnessMeasure | None:
    """The figures of loudnorm's JSON block at the end of stderr; None if there is none."""
    start = stderr.rfind("{")
    end = stderr.rfind("}")
    try:
        data = json.loads(stderr[start : end + 1])
    except json.JSONDecodeError:
        return None
    return LoudnessMeasure(
        input_i=_as_float(data.get("input_i")),
        input_tp=_as_float(data.get("input_tp")),
        input_lra=_as_float(data.get("input_lra")),
        input_thresh=_as_float(data.get("input_thresh")),
        target_offset=_as_float(data.get("target_offset")),
    )


def linear_gain(measure: LoudnessMeasure | None) -> float | None:
    """Gain in dB that brings the track to the target, if no peak would pass the ceiling.

    None means: silence (leave it alone) or a gain that would push the true
    peak above the target, which needs loudnorm's limiter.
    """
    if measure is None or not measure.input_i > profiles.SILENCE_LUFS:
        return None
    target = profiles.LOUDNESS
    gain = target.integrated - measure.input_i
    if not (math.isfinite(gain) and math.isfinite(measure.input_tp)):
        return None
    return gain if measure.input_tp + gain <= target.true_peak else None


def normalise_loudness(audio_stream, measure: LoudnessMeasure | None):
    """Loudness pass 2 with the measured values, then back to 48 kHz.

    When a plain gain reaches the target without passing the peak ceiling
    (loudnorm's own linear mode, which it also refuses for a zero or wide
    loudness range), the gain is applied with ``volume``: the same samples
    without loudnorm's 192 kHz resampling and 3 s buffers, which cost about
    60 MiB inside the video run.  The dynamic range is kept as recorded.
    Otherwise loudnorm compresses and limits.
    """
    gain = linear_gain(measure)
    if gain is not None:
        audio_stream = audio_stream.filter("volume", f"{gain:.2f}dB")
    elif measure is not None and measure.input_i > profiles.SILENCE_LUFS:
        target = profiles.LOUDNESS
        audio_stream = audio_stream.filter(
            "loudnorm",
            I=target.integrated,
            TP=target.true_peak,
            LRA=target.lra,
            measured_I=f"{measure.input_i:.2f}",
            measured_TP=f"{max(measure.input_tp, -99.0):.2f}",
            measured_LRA=f"{max(measure.input_lra, 0.0):.2f}",
            measured_thresh=f"{max(measure.input_thresh, -99.0):.2f}",
            offset=f"{measure.target_offset if math.isfinite(measure.target_offset) else 0:.2f}",
            linear="true",
            print_format="none",
        )
    # loudnorm resamples to 192 kHz internally.
    return audio_stream.filter("aresample", profiles.AUDIO_SAMPLE_RATE)


def ebur128_command(path: str | os.PathLike) -> list[str]:
    """EBU R128 measurement of the first audio stream; the summary goes to stderr."""
    return (
        media_input(path)
        .audio.filter("ebur128", peak="true", framelog="verbose")
        .output("-", f="null")
        .global_args("-v", "info")
        .compile(cmd=ffmpeg_binary())
    )


def parse_ebur128_summary(stderr: str) -> tuple[float, float] | None:
    """(integrated LUFS, true peak dBTP) from the ebur128 summary; None if it is missing."""
    summary = stderr[stderr.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        return None
    return float(integrated.group(1)), float(peak.group(1))


# --- video ---------------------------------------------------------------------


def build_video_command(
    src: str | os.PathLike,
    staging: Path,
    info: Probe,
    rungs: Sequence[Rung],
    *,
    preset: str,
    loudness: LoudnessMeasure | None,
) -> list[str]:
    """The single ffmpeg run: HLS ladder, audio-only m4a, poster and sprite.

    The source is decoded once; one split feeds every rung, so all rungs
    see the same frames and timestamps, and forcing keyframes by timestamp
    aligns them across rungs.  Run with cwd=staging/"hls".
    """
    video = info.video
    if video is None:
        raise ValueError("build_video_command needs a probe with a video stream")
    fps = profiles.output_fps(video.frame_rate, video.variable_frame_rate)
    gop = profiles.gop_frames(fps)
    dw, dh = video.display_width, video.display_height
    inp = media_input(os.path.abspath(src), threads=profiles.DECODE_THREADS)

    v = inp[str(video.index)]
    if video.interlaced:
        v = v.filter("bwdif", mode="send_frame", parity="auto", deint="interlaced")
    v = v.filter("fps", fps=f"{fps.numerator}/{fps.denominator}").filter("format", "yuv420p")
    splits = v.filter_multi_output("split", len(rungs) + 2)

    audio_streams = []
    if info.audio is not None:
        a = normalise_loudness(inp[str(info.audio.index)], loudness)
        asplit = a.filter_multi_output("asplit", len(rungs) + 1)
        audio_streams = [asplit[i] for i in range(len(rungs) + 1)]

    hls_streams = []
    stream_map = []
    opts: dict[str, object] = {}
    for i, rung in enumerate(rungs):
        w, h = profiles.rung_size(rung, dw, dh)
        hls_streams.append(_scale(splits[i], w, h))
        opts.update(
            {
                f"b:v:{i}": _kbps(rung.video_bitrate),
                f"maxrate:v:{i}": _kbps(rung.maxrate),
                f"bufsize:v:{i}": _kbps(rung.bufsize),
                f"threads:v:{i}": profiles.x264_threads(rung),
                f"x264-params:v:{i}": profiles.x264_params(rung),
            }
        )
        if audio_streams:
            hls_streams.append(audio_streams[i])
            opts[f"b:a:{i}"] = _kbps(rung.audio_bitrate)
            stream_map.append(f"v:{i},a:{i},name:{rung.name}")
        else:
            stream_map.append(f"v:{i},name:{rung.name}")
    channels = min(2, info.audio.channels) if info.audio and info.audio.channels else 2
    audio_opts = {"c:a": "aac", "ac": channels, "ar": profiles.AUDIO_SAMPLE_RATE}
    outputs = [
        ffmpeg.output(
            *hls_streams,
            "%v/index.m3u8",
            f="hls",
            **{"c:v": "libx264", "profile:v": "high", "preset": preset, "pix_fmt": "yuv420p"},
            g=gop,
            keyint_min=gop,
            sc_threshold=0,
            force_key_frames=profiles.force_key_frames_expr(),
            fps_mode="cfr",
            hls_time=profiles.SEGMENT_SECONDS,
            hls_playlist_type="vod",
            hls_segment_type="fmp4",
            hls_flags="independent_segments",
            hls_fmp4_init_filename="init.mp4",
            hls_segment_filename="%v/seg_%05d.m4s",
            master_pl_name="master.m3u8",
            var_stream_map=" ".join(stream_map),
            **(audio_opts if audio_streams else {}),
            **opts,
        )
    ]
    if audio_streams:
        outputs.append(
            ffmpeg.output(
                audio_streams[-1],
                "../audio.m4a",
                movflags="+faststart",
                **{"b:a": _kbps(profiles.AUDIO_ONLY_BITRATE)},
                **audio_opts,
            )
        )

    # Poster: the most typical frame (thumbnail filter, dodges black and
    # flash frames) of about one second starting 10% into the clip.
    poster_w, poster_h = profiles.rung_size(profiles.mp4_rung(tuple(rungs)), dw, dh)
    start = info.duration * profiles.POSTER_POSITION
    candidate_fps = min(fps, Fraction(profiles.POSTER_CANDIDATE_FPS))
    candidates = max(1, int(candidate_fps * profiles.POSTER_CANDIDATE_SECONDS))
    poster = (
        splits[len(rungs)]
        .trim(start=start, end=start + profiles.POSTER_CANDIDATE_SECONDS)
        .filter("fps", fps=f"{candidate_fps.numerator}/{candidate_fps.denominator}")
        .filter("scale", poster_w, poster_h)
        .filter("thumbnail", candidates)
    )
    outputs.append(ffmpeg.output(poster, "../poster.jpg", **{"frames:v": 1, "q:v": 3, "update": 1}))

    columns, rows, step = sprite_layout(info.duration)
    sprite = (
        splits[len(rungs) + 1]
        .filter("fps", fps=str(Fraction(1 / step).limit_denominator(10000)))
        .filter("scale", *sprite_tile_size(dw, dh))
        .filter("tile", f"{columns}x{rows}")
    )
    outputs.append(
        ffmpeg.output(sprite, "../thumbnails.jpg", **{"frames:v": 1, "q:v": 5, "update": 1})
    )
    return ffmpeg.merge_outputs(*outputs).global_args("-v", "error").compile(cmd=ffmpeg_binary())


def remux_command(joined: Path, target: Path) -> list[str]:
    """Copy a fragmented MP4 into a progressive one with the index first (no re-encode)."""
    return (
        media_input(joined)
        .output(str(target), c="copy", movflags="+faststart", map=0)
        .global_args("-v", "error")
        .compile(cmd=ffmpeg_binary())
    )


# --- audio ---------------------------------------------------------------------


def build_audio_command(
    src: str | os.PathLike, staging: Path, info: Probe, loudness: LoudnessMeasure | None
) -> list[str]:
    """One run writing ``audio.m4a`` (AAC, faststart) and ``audio.webm`` (Opus) into staging."""
    if info.audio is None:
        raise ValueError("build_audio_command needs a probe with an audio stream")
    inp = media_input(os.path.abspath(src))
    a = normalise_loudness(inp[str(info.audio.index)], loudness).filter_multi_output("asplit", 2)
    channels = min(2, info.audio.channels or 2)
    return (
        ffmpeg.merge_outputs(
            ffmpeg.output(
                a[0],
                str(staging / "audio.m4a"),
                movflags="+faststart",
                ac=channels,
                **{"c:a": "aac", "b:a": _kbps(profiles.AUDIO_AAC_BITRATE)},
            ),
            ffmpeg.output(
                a[1],
                str(staging / "audio.webm"),
                ac=channels,
                **{"c:a": "libopus", "b:a": _kbps(profiles.AUDIO_OPUS_BITRATE)},
            ),
        )
        .global_args("-v", "error")
        .compile(cmd=ffmpeg_binary())
    )


def waveform_pcm_command(src: str | os.PathLike, audio_index: int) -> list[str]:
    """Decode one audio stream to mono s16le at the waveform rate on stdout."""
    return (
        media_input(src)[str(audio_index)]
        .output(
            "pipe:1",
            f="s16le",
            ac=1,
            ar=profiles.WAVEFORM_SAMPLE_RATE,
            **{"c:a": "pcm_s16le"},
        )
        .global_args("-v", "error")
        .compile(cmd=ffmpeg_binary())
    )
