"""Pure media layer: probe, transcode and verify local files with ffmpeg.

Every function works on local paths only; the task layer downloads the
master, calls these functions and uploads what they return.  Every ffmpeg
and ffprobe run reads its inputs through a container whitelist and the
``file`` protocol only, so an uploaded playlist or concat list cannot make
ffmpeg open other files on the server.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

PROBE_TIMEOUT = 60
STDERR_TAIL = 4000

ProgressCallback = Callable[[float], None]


def gettext_noop(message: str) -> str:
    """Mark a msgid for makemessages without needing Django settings here."""
    return message


# One whole sentence per step, so each translates as a sentence.
FAILURE_MESSAGES = {
    "processing": gettext_noop("ffmpeg failed while processing this file."),
    "converting": gettext_noop("ffmpeg failed while converting this file."),
    "packaging": gettext_noop("ffmpeg failed while packaging this file."),
    "loudness": gettext_noop("ffmpeg failed while measuring the loudness of this file."),
    "waveform": gettext_noop("ffmpeg failed while drawing the waveform of this file."),
}


def ffmpeg_binary() -> str:
    """The ffmpeg executable, from FFMPEG_BINARY."""
    return os.environ.get("FFMPEG_BINARY", "ffmpeg")


def ffprobe_binary() -> str:
    """The ffprobe executable, from FFPROBE_BINARY."""
    return os.environ.get("FFPROBE_BINARY", "ffprobe")


class MediaError(Exception):
    """A media file cannot be processed; ``message`` is fit to show an officer.

    ``template`` is an English gettext msgid (marked with gettext_noop) and
    ``params`` its %-parameters, so the UI can show it translated with
    ``user_message()``.  ``stderr_tail`` keeps the end of ffmpeg's stderr for
    logs.
    """

    def __init__(self, template: str, params: dict | None = None, *, stderr_tail: str = ""):
        self.template = template
        self.params = params or {}
        self.message = template % self.params if self.params else template
        self.stderr_tail = stderr_tail
        super().__init__(self.message)

    def user_message(self) -> str:
        """The message translated into the active language (needs Django settings)."""
        from django.utils.translation import gettext

        text = gettext(self.template)
        return text % self.params if self.params else text


# --- probing ---------------------------------------------------------------


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


# (pattern in ffprobe/ffmpeg stderr, officer-facing message)
_STDERR_MESSAGES = (
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
    (
        "Invalid data found when processing input",
        gettext_noop("This file is not a video or audio file that can be read, or it is damaged."),
    ),
    ("No such file or directory", gettext_noop("The file could not be found.")),
)


_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid")


def _looks_like_mp4(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head[4:8] in _MP4_BOXES


def _stderr_error(
    stderr: str, default: str, params: dict | None = None, *, path: str | None = None
) -> MediaError:
    for pattern, message in _STDERR_MESSAGES:
        if pattern in stderr:
            # The mov demuxer is also tried on anything named .mp4; only a
            # file that starts like an MP4 is an interrupted one.
            if pattern == "moov atom not found" and path and not _looks_like_mp4(path):
                continue
            return MediaError(message, stderr_tail=stderr[-STDERR_TAIL:])
    return MediaError(default, params, stderr_tail=stderr[-STDERR_TAIL:])


def _ffprobe_json(path: str, *, formats: str = ACCEPTED_FORMATS, extra: Sequence[str] = ()) -> dict:
    args = [
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
    try:
        result = subprocess.run(  # noqa: S603 - argument list, fixed binary
            args, capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=True
        )
    except subprocess.CalledProcessError as exc:
        raise _stderr_error(
            exc.stderr or "",
            gettext_noop(
                "This file is not a video or audio file that can be read, or it is damaged."
            ),
            path=path,
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise MediaError(
            gettext_noop("Reading this file took too long; it may be damaged.")
        ) from exc
    except FileNotFoundError as exc:
        raise MediaError(gettext_noop("ffprobe is not installed on the server.")) from exc
    try:
        return json.loads(result.stdout or "{}")
    except json.JSONDecodeError as exc:
        raise MediaError(gettext_noop("This file could not be read as audio or video.")) from exc


def _probe_image(path: str, size: int) -> Probe | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt = (img.format or "image").lower()
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None
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


def probe(path: str | os.PathLike) -> Probe:
    """Describe a local media file; raise MediaError if it cannot be used.

    Containers outside ACCEPTED_FORMATS are refused before being parsed
    (photos are left to Pillow), so a playlist or concat list disguised as
    a video is never followed.
    """
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise MediaError(gettext_noop("The file could not be found.")) from exc
    if size == 0:
        raise MediaError(gettext_noop("The file is empty (0 bytes). Please upload it again."))
    try:
        data = _ffprobe_json(path)
    except MediaError:
        image = _probe_image(path, size)
        if image is not None:
            return image
        raise
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video = audio = None
    attached = False
    for stream in streams:
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
    kind = "video" if video else "audio" if audio else "unknown"
    try:
        duration = float(fmt.get("duration") or 0.0)
    except ValueError:
        duration = 0.0
    if kind != "unknown" and not duration > 0:
        raise MediaError(
            gettext_noop("The length of this file cannot be determined; it may be damaged.")
        )
    bit_rate = fmt.get("bit_rate")
    return Probe(
        path=path,
        kind=kind,
        container=fmt.get("format_name", "unknown"),
        duration=duration,
        size=size,
        bit_rate=int(bit_rate) if bit_rate and str(bit_rate).isdigit() else None,
        video=video,
        audio=audio,
        has_attached_pic=attached,
    )


# --- running ffmpeg --------------------------------------------------------


def _input(path: str | os.PathLike, **kwargs):
    """An ffmpeg-python input restricted to our containers and local files."""
    return ffmpeg.input(
        os.fspath(path), format_whitelist=ACCEPTED_FORMATS, protocol_whitelist=PROTOCOLS, **kwargs
    )


def _tail(fileobj, limit: int) -> str:
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(max(0, end - limit))
    return fileobj.read().decode("utf-8", "replace")


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
    ``duration``.  stderr goes to a temporary file, so a chatty ffmpeg can
    never block on a full pipe.  The process is killed at ``timeout`` or if
    ``on_progress`` raises.
    """
    args = [args[0], "-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1", *args[1:]]
    timed_out = threading.Event()
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(  # noqa: S603 - argument list, fixed binary
                args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, cwd=cwd
            )
        except FileNotFoundError as exc:
            raise MediaError(gettext_noop("ffmpeg is not installed on the server.")) from exc

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            for raw in proc.stdout:
                line = raw.decode("ascii", "replace").strip()
                if on_progress and duration and line.startswith("out_time_us="):
                    value = line.partition("=")[2]
                    if value.lstrip("-").isdigit():
                        done = int(value) / 1e6 / duration * 100.0
                        on_progress(min(100.0, max(0.0, done)))
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
            proc.stdout.close()
        tail = _tail(err, keep_stderr)
    if timed_out.is_set():
        raise MediaError(
            gettext_noop("Processing this file took too long (more than %(seconds)d s)."),
            {"seconds": int(timeout)},
            stderr_tail=tail[-STDERR_TAIL:],
        )
    if proc.returncode != 0:
        raise _stderr_error(
            tail,
            FAILURE_MESSAGES[what],
        )
    return tail


def _job_timeout(duration: float, factor: float = 20.0) -> float:
    # Generous: 2 cores, a 1080p ladder; a stuck process still gets killed.
    return 120.0 + factor * max(duration, 1.0)


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


# --- loudness --------------------------------------------------------------


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


def analyse_loudness(src: str | os.PathLike, audio_index: int, duration: float) -> LoudnessMeasure:
    """loudnorm pass 1: measure the audio stream (video is not decoded)."""
    target = profiles.LOUDNESS
    stream = (
        _input(src)[str(audio_index)]
        .filter(
            "loudnorm",
            I=target.integrated,
            TP=target.true_peak,
            LRA=target.lra,
            print_format="json",
        )
        .output("-", f="null")
        .global_args("-v", "info")
    )
    tail = run_ffmpeg(
        stream.compile(cmd=ffmpeg_binary()),
        timeout=_job_timeout(duration, 2.0),
        what="loudness",
        keep_stderr=20000,
    )
    start = tail.rfind("{")
    end = tail.rfind("}")
    try:
        data = json.loads(tail[start : end + 1])
    except json.JSONDecodeError as exc:
        raise MediaError(
            gettext_noop("The loudness of the audio could not be measured."), stderr_tail=tail
        ) from exc
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


def _normalise(audio_stream, measure: LoudnessMeasure | None):
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


def measure_loudness(path: str | os.PathLike) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the first audio stream, by ebur128."""
    args = (
        _input(path)
        .audio.filter("ebur128", peak="true", framelog="verbose")
        .output("-", f="null")
        .global_args("-v", "info")
        .compile(cmd=ffmpeg_binary())
    )
    tail = run_ffmpeg(args, timeout=600, what="loudness", keep_stderr=8000)
    summary = tail[tail.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        raise MediaError(
            gettext_noop("The loudness of the audio could not be measured."), stderr_tail=tail
        )
    return float(integrated.group(1)), float(peak.group(1))


# --- renditions ------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    """One playable output; every path is POSIX and relative to out_dir.

    ``files`` lists every file the rendition consists of (``path`` included),
    so the storage layer can upload them all.  The HLS master lists only its
    own playlist; each variant owns its playlist, init segment and segments.
    """

    kind: str  # hls_master, hls_variant, mp4, audio, poster, thumbnails, waveform
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
    """Content-Type to store a rendition file with."""
    return _MIME_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def _make_rendition(
    out_dir: Path, kind: str, name: str, path: str, files: Sequence[str], **kw
) -> Rendition:
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


# --- verification ----------------------------------------------------------


def playlist_duration(path: str | os.PathLike) -> float:
    """Sum of the EXTINF durations of a media playlist."""
    total = 0.0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#EXTINF:"):
                total += float(line[len("#EXTINF:") :].split(",")[0])
    return total


def _media_duration(path: str) -> float:
    fmt = _ffprobe_json(path).get("format") or {}
    return float(fmt.get("duration") or 0.0)


def verify_rendition(
    path: str | os.PathLike,
    expected_duration: float,
    tolerance: float = 0.1,
    *,
    name: str | None = None,
) -> float:
    """Check an output's duration against the source; return the duration.

    ffmpeg exits 0 on a truncated input and writes a short output, so this
    is the guard.  HLS playlists are checked twice: the EXTINF sum and
    ffprobe reading the playlist (hls demuxer allowed for our outputs only).
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
        probed = _ffprobe_json(path, formats=OWN_HLS_FORMATS).get("format") or {}
        duration = float(probed.get("duration") or 0.0)
    else:
        duration = _media_duration(path)
    _check_duration(label, duration, expected_duration, tolerance)
    return duration


def _check_duration(label: str, actual: float, expected: float, tolerance: float) -> None:
    if abs(actual - expected) > tolerance:
        raise MediaError(
            gettext_noop(
                "rendition %(name)s is %(actual).1f s long but the source is %(expected).1f s: "
                "the source may be truncated"
            ),
            {"name": label, "actual": actual, "expected": expected},
        )


def _verify_image(
    path: Path, width: int | None = None, height: int | None = None
) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.load()
            size = img.size
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaError(
            gettext_noop("The image %(name)s could not be created."), {"name": path.name}
        ) from exc
    if (width and size[0] != width) or (height and size[1] != height):
        raise MediaError(
            gettext_noop("The image %(name)s has the wrong size."), {"name": path.name}
        )
    return size


# --- atomic output ---------------------------------------------------------

_STAGING_PREFIX = ".partial-"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (left-over work folders name their pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging_dir(out_dir: Path) -> Path:
    """A private work dir inside out_dir; leftovers of killed runs are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(_STAGING_PREFIX + "*"):
        pid = old.name[len(_STAGING_PREFIX) :].split("-")[0]
        if not (pid.isdigit() and pid_alive(int(pid))):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=out_dir))


def _publish(staging: Path, out_dir: Path, names: Sequence[str]) -> None:
    """Move finished entries into place, replacing those of an earlier run."""
    trash = staging / ".old"
    trash.mkdir()
    for name in names:
        final = out_dir / name
        if final.is_dir() and not final.is_symlink():
            final.rename(trash / name)
        os.replace(staging / name, final)
    shutil.rmtree(staging, ignore_errors=True)


# --- video -----------------------------------------------------------------


def _scale(stream, width: int, height: int):
    return stream.filter("scale", width, height).filter("setsar", 1)


def _sprite_layout(duration: float) -> tuple[int, int, float]:
    """(columns, rows, seconds per tile) for the thumbnail sprite."""
    max_tiles = profiles.SPRITE_COLUMNS * profiles.SPRITE_ROWS
    tiles = max(1, min(max_tiles, int(duration)))
    columns = min(profiles.SPRITE_COLUMNS, tiles)
    rows = math.ceil(tiles / columns)
    return columns, rows, duration / tiles


def _vtt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _write_vtt(
    path: Path, sprite_name: str, duration: float, layout, tile_w: int, tile_h: int
) -> None:
    columns, rows, step = layout
    lines = ["WEBVTT", ""]
    for i in range(columns * rows):
        start = i * step
        if start >= duration:
            break
        x, y = (i % columns) * tile_w, (i // columns) * tile_h
        lines += [
            f"{_vtt_time(start)} --> {_vtt_time(min(duration, start + step))}",
            f"{sprite_name}#xywh={x},{y},{tile_w},{tile_h}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def _kbps(bits: int) -> str:
    return f"{bits // 1000}k"


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
        raise MediaError(gettext_noop("This file has no video to convert."))
    fps = profiles.output_fps(video.frame_rate, video.variable_frame_rate)
    gop = profiles.gop_frames(fps)
    dw, dh = video.display_width, video.display_height
    inp = _input(os.path.abspath(src), threads=profiles.DECODE_THREADS)

    v = inp[str(video.index)]
    if video.interlaced:
        v = v.filter("bwdif", mode="send_frame", parity="auto", deint="interlaced")
    v = v.filter("fps", fps=f"{fps.numerator}/{fps.denominator}").filter("format", "yuv420p")
    splits = v.filter_multi_output("split", len(rungs) + 2)

    audio_streams = []
    if info.audio is not None:
        a = _normalise(inp[str(info.audio.index)], loudness)
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

    columns, rows, step = _sprite_layout(info.duration)
    sprite = (
        splits[len(rungs) + 1]
        .filter("fps", fps=str(Fraction(1 / step).limit_denominator(10000)))
        .filter("scale", *_tile_size(dw, dh))
        .filter("tile", f"{columns}x{rows}")
    )
    outputs.append(
        ffmpeg.output(sprite, "../thumbnails.jpg", **{"frames:v": 1, "q:v": 5, "update": 1})
    )
    return ffmpeg.merge_outputs(*outputs).global_args("-v", "error").compile(cmd=ffmpeg_binary())


def _tile_size(display_w: int, display_h: int) -> tuple[int, int]:
    width = profiles.SPRITE_TILE_WIDTH
    return width, profiles.even(width * display_h / display_w)


def _concat_files(parts: Sequence[Path], target: Path) -> None:
    with open(target, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)


def _playlist_files(playlist: Path) -> list[Path]:
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
        raise MediaError(gettext_noop("This file has no video to convert."))
    out_dir = Path(out_dir)
    video = probe.video
    rungs = profiles.select_rungs(video.display_width, video.display_height)
    progress = _Progress(on_progress)
    timeout = timeout or _job_timeout(probe.duration)
    staging = _staging_dir(out_dir)
    try:
        loudness = None
        if probe.audio is not None:
            loudness = analyse_loudness(src, probe.audio.index, probe.duration)
        progress.report(3.0)
        (staging / "hls").mkdir()
        args = build_video_command(
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
        _publish(staging, out_dir, names)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress.report(100.0)
    return [_make_rendition(out_dir, **r) for r in renditions]


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
        files = [playlist, *_playlist_files(playlist)]
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
    _concat_files(_playlist_files(playlist), joined)
    args = (
        _input(joined)
        .output(str(staging / "video.mp4"), c="copy", movflags="+faststart", map=0)
        .global_args("-v", "error")
        .compile(cmd=ffmpeg_binary())
    )
    run_ffmpeg(args, timeout=_job_timeout(expected, 1.0), what="packaging")
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

    pw, ph = _verify_image(staging / "poster.jpg")
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
    layout = _sprite_layout(expected)
    tile_w, tile_h = _tile_size(dw, dh)
    sw, sh = _verify_image(staging / "thumbnails.jpg", tile_w * layout[0], tile_h * layout[1])
    _write_vtt(staging / "thumbnails.vtt", "thumbnails.jpg", expected, layout, tile_w, tile_h)
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


# --- audio -----------------------------------------------------------------


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
        raise MediaError(gettext_noop("This file has no sound to convert."))
    out_dir = Path(out_dir)
    progress = _Progress(on_progress)
    timeout = timeout or _job_timeout(probe.duration, 5.0)
    expected = probe.duration
    staging = _staging_dir(out_dir)
    try:
        loudness = analyse_loudness(src, probe.audio.index, expected)
        progress.report(10.0)
        inp = _input(os.path.abspath(src))
        a = _normalise(inp[str(probe.audio.index)], loudness).filter_multi_output("asplit", 2)
        channels = min(2, probe.audio.channels or 2)
        args = (
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
        run_ffmpeg(
            args,
            timeout=timeout,
            duration=expected,
            on_progress=progress.step(10.0, 85.0),
            what="converting",
        )
        peaks = waveform_peaks(src)
        (staging / "waveform.json").write_text(
            json.dumps({"duration": expected, "peaks": peaks}, separators=(",", ":")),
            encoding="utf-8",
        )
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
        _publish(staging, out_dir, ["audio.m4a", "audio.webm", "waveform.json"])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress.report(100.0)
    return [_make_rendition(out_dir, **s) for s in specs]


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
        raise MediaError(gettext_noop("This file has no sound to convert."))
    rate = profiles.WAVEFORM_SAMPLE_RATE
    total = max(1, int(info.duration * rate))
    per_point = max(1, math.ceil(total / points))
    args = (
        _input(src)[str(info.audio.index)]
        .output("pipe:1", f="s16le", ac=1, ar=rate, **{"c:a": "pcm_s16le"})
        .global_args("-v", "error", "-hide_banner", "-nostdin")
        .compile(cmd=ffmpeg_binary())
    )
    peaks: list[float] = []
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(  # noqa: S603 - argument list, fixed binary
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err
        )
        timer = threading.Timer(_job_timeout(info.duration, 2.0), proc.kill)
        timer.daemon = True
        timer.start()
        try:
            pending = array("h")
            chunk_bytes = per_point * 2 * 64
            while True:
                data = proc.stdout.read(chunk_bytes)
                if not data:
                    break
                buf = array("h")
                buf.frombytes(data[: len(data) - len(data) % 2])
                pending.extend(buf)
                while len(pending) >= per_point:
                    part = pending[:per_point]
                    del pending[:per_point]
                    peaks.append(max(max(part), -min(part)) / 32768.0)
            if pending:
                peaks.append(max(max(pending), -min(pending)) / 32768.0)
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
            proc.stdout.close()
        if proc.returncode != 0:
            raise _stderr_error(
                _tail(err, STDERR_TAIL),
                FAILURE_MESSAGES["waveform"],
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
