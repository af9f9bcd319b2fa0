"""Generate small test media with ffmpeg's lavfi sources.

Each function writes one file into ``directory`` and returns its path.
These run the real ffmpeg binary without the pipeline's whitelists: they
make inputs, they do not read untrusted ones.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

TIMEOUT = 120


def _ffmpeg() -> str:
    return os.environ.get("FFMPEG_BINARY", "ffmpeg")


def run(*args: str) -> None:
    """Run ffmpeg quietly, raising with stderr on failure."""
    cmd = [_ffmpeg(), "-hide_banner", "-v", "error", "-nostdin", "-y", *args]
    subprocess.run(cmd, check=True, timeout=TIMEOUT, capture_output=True)  # noqa: S603


@functools.cache
def has_encoder(name: str) -> bool:
    """Whether this ffmpeg build has an encoder, e.g. libx265."""
    out = subprocess.run(  # noqa: S603
        [_ffmpeg(), "-hide_banner", "-encoders"],
        check=True,
        timeout=30,
        capture_output=True,
        text=True,
    ).stdout
    return any(line.split()[1:2] == [name] for line in out.splitlines() if line.strip())


def _video_src(size: str, rate: int, duration: float) -> list[str]:
    # testsrc2 rounds odd sizes down to even; testsrc keeps them.
    source = "testsrc2" if all(int(n) % 2 == 0 for n in size.split("x")) else "testsrc"
    return ["-f", "lavfi", "-i", f"{source}=size={size}:rate={rate}:duration={duration}"]


def _audio_src(duration: float, freq: int = 440) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=48000:duration={duration}"]


_FAST_H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


def video(
    directory: Path,
    name: str = "clip.mp4",
    *,
    size: str = "640x360",
    rate: int = 30,
    duration: float = 3,
    audio: bool = True,
    extra: tuple[str, ...] = (),
) -> Path:
    """A testsrc2 clip (+ a 440 Hz tone), H.264/AAC."""
    path = directory / name
    args = [*_video_src(size, rate, duration)]
    if audio:
        args += [*_audio_src(duration), "-c:a", "aac", "-b:a", "96k"]
    args += [*_FAST_H264, *extra, str(path)]
    run(*args)
    return path


def rotated(directory: Path, degrees: int = 90) -> Path:
    """A landscape-coded clip tagged to display in portrait, like phone videos."""
    plain = video(directory, "rot_src.mp4", duration=2)
    path = directory / f"portrait_rot{degrees}.mp4"
    # ffmpeg 5.1 still turns the legacy rotate tag into a display matrix.
    run(
        "-i",
        str(plain),
        "-map",
        "0",
        "-c",
        "copy",
        "-metadata:s:v:0",
        f"rotate={degrees}",
        str(path),
    )
    return path


def vfr(directory: Path) -> Path:
    """30 fps for 1.5 s then 15 fps: variable frame rate like a phone in low light."""
    path = directory / "vfr.mp4"
    run(
        *_video_src("640x360", 30, 3),
        *_audio_src(3),
        "-vf",
        "select='if(lt(t,1.5),1,not(mod(n,2)))'",
        "-fps_mode",
        "vfr",
        *_FAST_H264,
        "-c:a",
        "aac",
        str(path),
    )
    return path


def interlaced(directory: Path) -> Path:
    """PAL-style 50i camera footage, top field first, coded interlaced."""
    path = directory / "interlaced.mp4"
    run(
        *_video_src("720x576", 50, 2),
        *_audio_src(2),
        "-vf",
        "tinterlace=interleave_top,fieldorder=tff",
        "-flags",
        "+ilme+ildct",
        "-top",
        "1",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        str(path),
    )
    return path


def hevc_10bit(directory: Path) -> Path:
    """HEVC Main 10 in MP4, like recent phones and cameras."""
    path = directory / "hevc10.mp4"
    run(
        *_video_src("640x360", 30, 2),
        *_audio_src(2),
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p10le",
        "-tag:v",
        "hvc1",
        "-x265-params",
        "log-level=error",
        "-c:a",
        "aac",
        str(path),
    )
    return path


def audio_mp4(directory: Path) -> Path:
    """An MP4 with only an AAC track: audio, whatever the extension says."""
    path = directory / "voice.mp4"
    run(*_audio_src(3), "-c:a", "aac", str(path))
    return path


def mp3_with_cover(directory: Path) -> Path:
    """An MP3 with embedded cover art (an attached_pic video stream)."""
    cover = directory / "cover.png"
    run("-f", "lavfi", "-i", "testsrc2=size=300x300:duration=1", "-frames:v", "1", str(cover))
    path = directory / "song.mp3"
    run(
        *_audio_src(3),
        "-i",
        str(cover),
        "-map",
        "0:a",
        "-map",
        "1:v",
        "-c:a",
        "libmp3lame",
        "-b:a",
        "128k",
        "-c:v",
        "png",
        "-disposition:v:0",
        "attached_pic",
        "-id3v2_version",
        "3",
        str(path),
    )
    return path


def quiet_wav(directory: Path, volume_db: float = -30.0, duration: float = 4) -> Path:
    """A quiet two-tone recording, far below the -16 LUFS target."""
    path = directory / "quiet.wav"
    expr = "0.5*sin(2*PI*440*t)+0.3*sin(2*PI*1250*t)"
    run(
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc='{expr}|{expr}':sample_rate=48000:duration={duration}",
        "-af",
        f"volume={volume_db}dB",
        str(path),
    )
    return path


def tone_wav(directory: Path, name: str, amplitude_db: float, frequency: int = 1000) -> Path:
    """A mono sine whose peak level is ``amplitude_db`` dBFS, 4 s long."""
    path = directory / name
    run(
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc='sin(2*PI*{frequency}*t)':sample_rate=48000:duration=4",
        "-af",
        f"volume={amplitude_db}dB",
        str(path),
    )
    return path


def silence_then_tone(directory: Path) -> Path:
    """2 s of silence then 2 s of a full-scale tone: a known waveform shape."""
    path = directory / "silence_then_tone.wav"
    run(
        "-f",
        "lavfi",
        "-i",
        "aevalsrc='if(lt(t,2),0,0.9*sin(2*PI*440*t))':sample_rate=8000:duration=4",
        str(path),
    )
    return path


def faststart_then_cut(directory: Path) -> Path:
    """moov first, then half the media data cut off: probes fine, decodes short."""
    full = video(directory, "full_faststart.mp4", duration=4, extra=("-movflags", "+faststart"))
    path = directory / "cut_faststart.mp4"
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def truncated_without_moov(directory: Path) -> Path:
    """An interrupted upload: moov (written last by default) never arrived."""
    full = video(directory, "full.mp4", duration=2)
    path = directory / "truncated.mp4"
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def playlist_in_disguise(directory: Path, secret: Path) -> Path:
    """An HLS playlist renamed .mp4 whose segment is a sibling real file."""
    path = directory / "upload" / "holiday.mp4"
    path.parent.mkdir(exist_ok=True)
    rel = os.path.relpath(secret, path.parent)
    path.write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:3.0,\n{rel}\n#EXT-X-ENDLIST\n",
        encoding="utf-8",
    )
    return path


def concat_in_disguise(directory: Path, secret: Path) -> Path:
    """An ffconcat list renamed .mp4 pointing at a sibling real file."""
    path = directory / "upload" / "festival.mp4"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"ffconcat version 1.0\nfile '{secret}'\n", encoding="utf-8")
    return path
