"""The encoding ladder and every other encoding choice, as data.

Visitors mostly watch on weak rural connections, so the ladder starts low
(240p at ~300 kbps) and the progressive MP4 stops at 720p.  Rung heights
refer to the *short side* of the picture, so a portrait phone video gets the
same pixel budget as a landscape one (720p portrait is 720x1280).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Rung:
    """One rung of the adaptive ladder; bitrates are in bits per second."""

    name: str
    height: int
    video_bitrate: int
    maxrate: int
    bufsize: int
    audio_bitrate: int


LADDER: tuple[Rung, ...] = (
    Rung("240p", 240, 300_000, 450_000, 600_000, 64_000),
    Rung("360p", 360, 600_000, 900_000, 1_200_000, 96_000),
    Rung("720p", 720, 1_800_000, 2_700_000, 3_600_000, 128_000),
    Rung("1080p", 1080, 4_000_000, 6_000_000, 8_000_000, 128_000),
)

DEFAULT_PRESET = "veryfast"

# Memory and threading of the single ffmpeg run (bench/transcode.py measures
# them).  One run holds a decoder and an x264 encoder per rung at once, and
# with defaults a 1080p job peaked near 600 MiB: each x264 instance sizes its
# frame pools from its thread count (1.5 per core), the lookahead depth and
# the B-pyramid.  Frames are counted, so the 1080p rung dominates.
#
# Frame threads of the decoder: each one holds its own reference frames, and
# "auto" grows with the machine's cores while the job's memory budget does not.
DECODE_THREADS = 2
# Rungs at or above this short side encode with two sliced threads: slices
# share one set of frames where frame threads would each need their own, and
# on ffmpeg 5.1 every encoder is fed from ffmpeg's main thread, so a rung
# without threads of its own would serialise the whole run.  Smaller rungs
# are cheap enough to encode inline with one thread.
THREADED_RUNG_HEIGHT = 720
ENCODER_THREADS = 2
# Options for every rung on top of the preset.  rc-lookahead 3 (veryfast: 10)
# and no B-pyramid cut the frames each encoder keeps by about a third (1080p
# job: 590 -> 275 MiB with the threading above); at the same bitrate, SSIM of
# a grainy 720p rung went from 0.9594 to 0.9591.
X264_PARAMS = "rc-lookahead=3:b-pyramid=none"
SEGMENT_SECONDS = 2
MAX_FPS = Fraction(30)
# The progressive MP4 (download, old players, social sharing) is the largest
# rung at or below this short side.
MP4_MAX_HEIGHT = 720
# The audio-only rendition inside a video asset, for the weakest connections.
AUDIO_ONLY_BITRATE = 64_000
# Streaming renditions of audio assets.
AUDIO_AAC_BITRATE = 96_000
AUDIO_OPUS_BITRATE = 64_000
AUDIO_SAMPLE_RATE = 48_000


@dataclass(frozen=True)
class Loudness:
    """EBU R128 style target for loudnorm (streaming level, like podcasts)."""

    integrated: float = -16.0
    true_peak: float = -1.0
    lra: float = 11.0


LOUDNESS = Loudness()
# Below this the track is silence or noise floor: normalising it would only
# amplify hiss, so it is encoded as is.
SILENCE_LUFS = -70.0

POSTER_POSITION = 0.10  # fraction of the duration
POSTER_CANDIDATE_SECONDS = 1.0  # frames compared to dodge a black frame
# The thumbnail filter keeps every candidate frame at poster size until it
# chooses; six per second still dodges a black or flash frame.
POSTER_CANDIDATE_FPS = 6
SPRITE_COLUMNS = 10
SPRITE_ROWS = 10
SPRITE_TILE_WIDTH = 160  # tile height follows the display aspect ratio
WAVEFORM_POINTS = 800
WAVEFORM_SAMPLE_RATE = 8_000


def even(value: float) -> int:
    """Round to the nearest even integer, at least 2 (H.264 needs even sizes)."""
    return max(2, int(round(value / 2.0)) * 2)


def select_rungs(display_width: int, display_height: int) -> tuple[Rung, ...]:
    """Rungs to encode for a source of this display size; never upscale.

    A source smaller than the lowest rung gets a single rung at its own size.
    """
    short = min(display_width, display_height)
    rungs = tuple(r for r in LADDER if r.height <= short)
    if rungs:
        return rungs
    lowest = LADDER[0]
    own = max(2, short - short % 2)  # round down: never upscale, even for H.264
    return (
        Rung(
            f"{own}p",
            own,
            lowest.video_bitrate,
            lowest.maxrate,
            lowest.bufsize,
            lowest.audio_bitrate,
        ),
    )


def x264_threads(rung: Rung) -> int:
    """x264 threads for a rung (see THREADED_RUNG_HEIGHT)."""
    return ENCODER_THREADS if rung.height >= THREADED_RUNG_HEIGHT else 1


def x264_params(rung: Rung) -> str:
    """The -x264-params string of a rung."""
    if x264_threads(rung) > 1:
        return f"{X264_PARAMS}:sliced-threads=1"
    return X264_PARAMS


def rung_size(rung: Rung, display_width: int, display_height: int) -> tuple[int, int]:
    """Output (width, height) of a rung, keeping display orientation and aspect."""
    if display_width >= display_height:
        return even(rung.height * display_width / display_height), rung.height
    return rung.height, even(rung.height * display_height / display_width)


def mp4_rung(rungs: tuple[Rung, ...]) -> Rung:
    """The rung reused (remuxed, not re-encoded) for the progressive MP4."""
    small = [r for r in rungs if r.height <= MP4_MAX_HEIGHT]
    return small[-1] if small else rungs[0]


def output_fps(avg: Fraction, variable: bool) -> Fraction:
    """Constant output frame rate: the source average, capped at MAX_FPS.

    A variable-rate phone clip averaging 29.7 fps is snapped to a whole
    number so players and segmenters see a clean constant rate.
    """
    if avg <= 0:
        return MAX_FPS
    if variable:
        avg = Fraction(max(1, round(avg)))
    return min(avg, MAX_FPS)


def gop_frames(fps: Fraction) -> int:
    """Frames per segment; keyframes land on every segment boundary."""
    return max(1, round(fps * SEGMENT_SECONDS))


def force_key_frames_expr() -> str:
    """Keyframe times by timestamp, identical for every rung of one run."""
    return f"expr:gte(t,n_forced*{SEGMENT_SECONDS})"
