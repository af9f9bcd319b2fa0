"""Benchmark the media pipeline against hand-written ffmpeg baselines.

    .venv/bin/python bench/transcode.py [--quick]

Generates camera-like sources (H.264 High, 1080p30 at ~18 Mbit/s and 720p30
at ~8 Mbit/s, grainy so decoding costs what a phone file costs; built from a
6 s encode looped, so generating is quick) and a spoken-level recording, then
measures in this same run, each job in its own process so its peak memory is
its own:
  * transcode_video (whole job: loudness pass, ladder run, MP4 remux,
    verification) vs the same outputs made by hand: the loudness pass and
    one ffmpeg command with the same encoder settings, then the remux
    (target ratio <= 1.05);
  * one ffmpeg process per output (each rung, the audio-only file, poster,
    sprite), each decoding the source like a naive pipeline (target: the
    pipeline >= 1.5x faster);
  * the realtime factor of the 240/360/720 ladder from the 720p source at
    veryfast, ladder run alone and whole job (target >= 2x on 2 free cores);
  * peak RSS of the largest ffmpeg child per job (target <= 300 MB);
  * bytes per rendition; transcode_audio time and the loudness it reaches.
Wall times depend on what else runs on the machine: the load average is
printed first, and CPU seconds (this process and its children) beside every
wall time; "CPU-bound realtime" is duration * 2 cores / CPU seconds.
--quick uses 10 s clips and a 1-minute recording.
Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media_pipeline import profiles  # noqa: E402
from media_pipeline.ffmpeg import (  # noqa: E402
    ACCEPTED_FORMATS,
    build_video_command,
    linear_gain,
)
from media_pipeline.probing import probe  # noqa: E402
from media_pipeline.process import run_ffmpeg  # noqa: E402
from media_pipeline.transcode import (  # noqa: E402
    analyse_loudness,
    measure_loudness,
    transcode_audio,
    transcode_video,
)

CORES = 2
SPEECH = "(0.2+0.2*sin(2*PI*0.1*t))*sin(2*PI*440*t)+0.05*sin(2*PI*2000*t)"


def ffmpeg(*args: str, cwd: Path | None = None, timeout: float = 1800) -> None:
    """Run one ffmpeg command quietly (raises on failure)."""
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args]
    subprocess.run(cmd, check=True, timeout=timeout, cwd=cwd)  # noqa: S603


def camera_clip(work: Path, name: str, size: str, bitrate: int, seconds: int) -> Path:
    """A phone-like H.264 High file: grain keeps the bitrate (and decode cost) real."""
    loop = work / f"{name}_loop.mp4"
    ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration=6"),
        *("-vf", "noise=alls=10:allf=t", "-an"),
        *("-c:v", "libx264", "-preset", "superfast", "-profile:v", "high"),
        *("-b:v", f"{bitrate}M", "-maxrate", f"{bitrate + 2}M", "-bufsize", f"{bitrate + 2}M"),
        # No B-frames, like most phone encoders; it also keeps the looped cut exact.
        *("-g", "30", "-bf", "0", "-pix_fmt", "yuv420p", str(loop)),
    )
    path = work / f"{name}.mp4"
    ffmpeg(
        *("-stream_loop", "-1", "-i", str(loop)),
        # Audio outlasts the cut so both streams end together, like a camera file.
        *("-f", "lavfi", "-i", f"aevalsrc='{SPEECH}':sample_rate=48000:duration={seconds + 1}"),
        *("-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-b:a", "192k"),
        *("-frames:v", str(30 * seconds), "-t", str(seconds)),
        *("-movflags", "+faststart", str(path)),
    )
    loop.unlink()
    return path


def recording(work: Path, seconds: int) -> Path:
    """A spoken-level stereo WAV, far below the loudness target."""
    path = work / "interview.wav"
    ffmpeg(
        *("-f", "lavfi", "-i", f"aevalsrc='{SPEECH}':sample_rate=48000:duration={seconds}"),
        *("-ac", "2", str(path)),
    )
    return path


# --- baselines -------------------------------------------------------------


def x264_args(rungs, fps: Fraction) -> list[str]:
    """The encoder options as a person would type them, same settings as the pipeline."""
    gop = profiles.gop_frames(fps)
    args = [
        *("-c:v", "libx264", "-profile:v", "high", "-preset", profiles.DEFAULT_PRESET),
        *("-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0"),
        *("-force_key_frames", profiles.force_key_frames_expr(), "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-ar", "48000", "-ac", "1"),
    ]
    for i, rung in enumerate(rungs):
        args += [
            *(f"-b:v:{i}", f"{rung.video_bitrate // 1000}k"),
            *(f"-maxrate:v:{i}", f"{rung.maxrate // 1000}k"),
            *(f"-bufsize:v:{i}", f"{rung.bufsize // 1000}k"),
            *(f"-threads:v:{i}", str(profiles.x264_threads(rung))),
            *(f"-x264-params:v:{i}", profiles.x264_params(rung)),
            *(f"-b:a:{i}", f"{rung.audio_bitrate // 1000}k"),
        ]
    return args


def hls_args(playlist_dir: str) -> list[str]:
    return [
        *("-f", "hls", "-hls_time", str(profiles.SEGMENT_SECONDS), "-hls_playlist_type", "vod"),
        *("-hls_segment_type", "fmp4", "-hls_flags", "independent_segments"),
        *("-hls_segment_filename", f"{playlist_dir}/seg_%05d.m4s"),
    ]


def _sources(src: Path) -> tuple:
    info = probe(src)
    v = info.video
    rungs = profiles.select_rungs(v.display_width, v.display_height)
    return info, rungs, (v.display_width, v.display_height)


def _audio_filter(src: Path, info) -> str:
    """What the person writes after running the loudnorm measuring pass."""
    gain = linear_gain(analyse_loudness(src, info.audio.index, info.duration))
    return f"volume={gain:.2f}dB,aresample=48000" if gain is not None else "aresample=48000"


def _input(src: Path) -> list[str]:
    return [
        *("-threads", str(profiles.DECODE_THREADS), "-format_whitelist", ACCEPTED_FORMATS),
        *("-protocol_whitelist", "file", "-i", str(src)),
    ]


def _remux_mp4(out: Path, rung) -> None:
    playlist = out / "hls" / rung.name / "index.m3u8"
    names = [
        line.split('URI="')[1].rstrip('"') if line.startswith("#EXT-X-MAP") else line
        for line in playlist.read_text().splitlines()
        if line.startswith("#EXT-X-MAP") or (line and not line.startswith("#"))
    ]
    joined = out / "joined.mp4"
    with open(joined, "wb") as fh:
        for name in names:
            fh.write((playlist.parent / name).read_bytes())
    ffmpeg("-i", str(joined), "-c", "copy", "-movflags", "+faststart", str(out / "video.mp4"))
    joined.unlink()


def handwritten_single(src: Path, out: Path, ladder_only: bool = False) -> None:
    """Measuring pass, then one command for the same outputs, then the MP4 remux."""
    info, rungs, (dw, dh) = _sources(src)
    (out / "hls").mkdir(parents=True)
    fps = profiles.output_fps(info.video.frame_rate, info.video.variable_frame_rate)
    n = len(rungs)
    extra = 0 if ladder_only else 2
    graph = [
        f"[0:v]fps={fps},format=yuv420p,split={n + extra}"
        + "".join(f"[v{i}]" for i in range(n + extra))
    ]
    for i, rung in enumerate(rungs):
        w, h = profiles.rung_size(rung, dw, dh)
        graph.append(f"[v{i}]scale={w}:{h},setsar=1[o{i}]")
    pw, ph = profiles.rung_size(profiles.mp4_rung(rungs), dw, dh)
    start = info.duration * profiles.POSTER_POSITION
    if not ladder_only:
        graph.append(
            f"[v{n}]trim=start={start}:end={start + 1},fps={profiles.POSTER_CANDIDATE_FPS},"
            f"scale={pw}:{ph},thumbnail={profiles.POSTER_CANDIDATE_FPS}[poster]"
        )
        tiles = max(1, min(100, int(info.duration)))
        graph.append(
            f"[v{n + 1}]fps={tiles}/{info.duration},scale=160:90,tile=10x{-(-tiles // 10)}[sprite]"
        )
    audio_outs = n if ladder_only else n + 1
    graph.append(
        f"[0:a]{_audio_filter(src, info)},asplit={audio_outs}"
        + "".join(f"[a{i}]" for i in range(audio_outs))
    )
    maps = []
    for i in range(n):
        maps += ["-map", f"[o{i}]", "-map", f"[a{i}]"]
    var_map = " ".join(f"v:{i},a:{i},name:{r.name}" for i, r in enumerate(rungs))
    args = [
        *_input(src),
        *("-filter_complex", ";".join(graph)),
        *maps,
        *x264_args(rungs, fps),
        *hls_args("%v"),
        *("-hls_fmp4_init_filename", "init.mp4", "-master_pl_name", "master.m3u8"),
        *("-var_stream_map", var_map, "%v/index.m3u8"),
    ]
    if not ladder_only:
        args += [
            *("-map", f"[a{n}]", "-c:a", "aac", "-ac", "1", "-b:a", "64k"),
            *("-movflags", "+faststart", "../audio.m4a"),
            *("-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", "../poster.jpg"),
            *("-map", "[sprite]", "-frames:v", "1", "-q:v", "5", "-update", "1", "../sprite.jpg"),
        ]
    ffmpeg(*args, cwd=out / "hls")
    if not ladder_only:
        _remux_mp4(out, profiles.mp4_rung(rungs))


def one_process_per_output(src: Path, out: Path) -> None:
    """The naive pipeline: every output its own ffmpeg, each decoding the source."""
    info, rungs, (dw, dh) = _sources(src)
    fps = profiles.output_fps(info.video.frame_rate, info.video.variable_frame_rate)
    audio = _audio_filter(src, info)
    (out / "hls").mkdir(parents=True)
    for rung in rungs:
        w, h = profiles.rung_size(rung, dw, dh)
        (out / "hls" / rung.name).mkdir()
        ffmpeg(
            *_input(src),
            *("-vf", f"fps={fps},scale={w}:{h},setsar=1,format=yuv420p", "-af", audio),
            *x264_args([rung], fps),
            *hls_args(rung.name),
            *("-hls_fmp4_init_filename", "init.mp4", f"{rung.name}/index.m3u8"),
            cwd=out / "hls",
        )
    ffmpeg(*_input(src), "-vn", "-af", audio, "-c:a", "aac", "-ac", "1", "-b:a", "64k",
           "-movflags", "+faststart", str(out / "audio.m4a"))  # fmt: skip
    pw, ph = profiles.rung_size(profiles.mp4_rung(rungs), dw, dh)
    start = info.duration * profiles.POSTER_POSITION
    ffmpeg("-ss", f"{start}", *_input(src), "-t", "1",
           "-vf", f"fps={profiles.POSTER_CANDIDATE_FPS},scale={pw}:{ph},thumbnail",
           "-frames:v", "1", "-q:v", "3", "-update", "1", str(out / "poster.jpg"))  # fmt: skip
    tiles = max(1, min(100, int(info.duration)))
    sprite = f"fps={tiles}/{info.duration},scale=160:90,tile=10x{-(-tiles // 10)}"
    ffmpeg(*_input(src), "-vf", sprite,
           "-frames:v", "1", "-q:v", "5", "-update", "1", str(out / "sprite.jpg"))  # fmt: skip
    _remux_mp4(out, profiles.mp4_rung(rungs))


def pipeline(src: Path, out: Path):
    """transcode_video, the whole job, with a progress bar."""
    info = probe(src)
    with tqdm(
        total=100, desc=f"pipeline {src.stem}", unit="%", file=sys.stderr, leave=False
    ) as bar:
        return transcode_video(src, out, info, on_progress=lambda p: bar.update(p - bar.n))


def pipeline_ladder_run(src: Path, out: Path) -> None:
    """The pipeline's single ffmpeg run alone (no loudness pass, remux or checks)."""
    info, rungs, _ = _sources(src)
    loudness = analyse_loudness(src, info.audio.index, info.duration)
    (out / "hls").mkdir(parents=True)
    args = build_video_command(
        src, out, info, rungs, preset=profiles.DEFAULT_PRESET, loudness=loudness
    )
    # Only the run is timed; the measuring pass above is in the whole job.
    global _RUN_STARTED
    _RUN_STARTED = (time.perf_counter(), _cpu())
    run_ffmpeg(args, timeout=3600, what="converting", cwd=out / "hls")


_RUN_STARTED: tuple[float, float] | None = None


# --- measuring -------------------------------------------------------------


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _child(conn, func, args) -> None:
    start, cpu = time.perf_counter(), _cpu()
    result = func(*args)
    if _RUN_STARTED is not None:
        start, cpu = _RUN_STARTED
    wall, used = time.perf_counter() - start, _cpu() - cpu
    kids_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send((wall, used, kids_mib, self_mib, result))
    conn.close()


def measure(label: str, func, *args) -> dict:
    """Run func(*args) in a fresh process: wall s, CPU s, peak RSS of ffmpeg and of Python."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args))
    proc.start()
    child.close()
    try:
        wall, cpu, ffmpeg_mib, python_mib, result = parent.recv()
    except EOFError:
        proc.join()
        raise SystemExit(f"{label} failed (exit code {proc.exitcode})") from None
    proc.join()
    tqdm.write(
        f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {ffmpeg_mib:.0f} MiB", file=sys.stderr
    )
    return {"wall": wall, "cpu": cpu, "mib": ffmpeg_mib, "py_mib": python_mib, "result": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 s clips, 1-minute recording")
    opts = parser.parse_args()
    clip_s, audio_s = (10, 60) if opts.quick else (30, 300)
    load = os.getloadavg()
    print(
        f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
        f"{os.cpu_count()} cores (anything above ~0.5 is other work inflating wall times)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as tmp:
        work = Path(tmp)
        steps = tqdm(total=9, desc="bench", unit="step", file=sys.stderr)
        clip = camera_clip(work, "camera_1080p", "1920x1080", 18, clip_s)
        clip720 = camera_clip(work, "camera_720p", "1280x720", 8, clip_s)
        audio = recording(work, audio_s)
        steps.update()
        jobs = [
            ("pipe", "pipeline transcode_video, 1080p (whole job)", pipeline, clip, work / "p"),
            ("hand", "hand-written: loudness pass + 1 command + remux", handwritten_single, clip,
             work / "h"),
            ("naive", "one ffmpeg per output, sequential", one_process_per_output, clip,
             work / "n"),
            ("pipe_run", "pipeline ladder run alone, 1080p", pipeline_ladder_run, clip,
             work / "r"),
            ("p720", "pipeline transcode_video, 720p (whole job)", pipeline, clip720, work / "q"),
            ("p720_run", "pipeline ladder run alone, 720p", pipeline_ladder_run, clip720,
             work / "s"),
            ("h720_ladder", "hand-written ladder only, 720p (HLS only)", handwritten_single,
             clip720, work / "t", True),
        ]  # fmt: skip
        m = {}
        for key, label, func, *args in jobs:
            m[key] = measure(label, func, *args) | {"label": label, "seconds": clip_s}
            steps.update()
        audio_info = probe(audio)
        m["audio"] = measure("audio", transcode_audio, audio, work / "a", audio_info) | {
            "label": f"audio transcode_audio ({audio_s // 60} min, AAC+Opus+waveform)",
            "seconds": audio_s,
        }
        steps.update()
        steps.close()
        loudness = {
            r.name: measure_loudness(work / "a" / r.path)
            for r in m["audio"]["result"]
            if r.kind == "audio"
        }
        input_loudness = measure_loudness(audio)
        src_mbit = probe(clip).bit_rate / 1e6

    print(
        f"\nSources: {clip_s} s camera-like H.264 High 1080p30 ({src_mbit:.0f} Mbit/s) and 720p30; "
        f"preset {profiles.DEFAULT_PRESET}; {CORES} cores"
    )
    print(f"{'job':<50}{'wall s':>8}{'CPU s':>8}{'x rt wall':>10}{'x rt CPU':>9}{'ffmpeg MiB':>11}")
    for row in m.values():
        rt_cpu = CORES * row["seconds"] / row["cpu"]
        print(
            f"{row['label']:<50}{row['wall']:>8.1f}{row['cpu']:>8.1f}"
            f"{row['seconds'] / row['wall']:>10.2f}{rt_cpu:>9.2f}{row['mib']:>11.0f}"
        )
    print()

    def ratio(a: str, b: str) -> str:
        return f"{m[a]['wall'] / m[b]['wall']:.2f} wall, {m[a]['cpu'] / m[b]['cpu']:.2f} CPU"

    print(f"pipeline / hand-written (same outputs)   = {ratio('pipe', 'hand')}  (target <= 1.05)")
    print(f"one-per-output / pipeline                = {ratio('naive', 'pipe')}  (target >= 1.5)")
    print(
        f"3-rung ladder (720p source) realtime     = ladder run "
        f"{clip_s / m['p720_run']['wall']:.2f}x wall, "
        f"{CORES * clip_s / m['p720_run']['cpu']:.2f}x CPU-bound; whole job "
        f"{clip_s / m['p720']['wall']:.2f}x wall, "
        f"{CORES * clip_s / m['p720']['cpu']:.2f}x CPU-bound"
        "  (target >= 2x)"
    )
    print(f"pipeline ladder run / hand-written ladder (720p) = {ratio('p720_run', 'h720_ladder')}")
    peak = max(row["mib"] for row in m.values() if row["label"].startswith("pipeline"))
    py = max(row["py_mib"] for row in m.values())
    print(
        f"peak RSS: largest pipeline ffmpeg child {peak:.0f} MiB = {peak * 1.048576:.0f} MB "
        f"(target <= 300 MB); bench Python process {py:.0f} MiB"
    )
    end = os.getloadavg()[0]
    print(f"load average at end: {end:.1f}")
    print()
    print(f"{'rendition (1080p source)':<28}{'size':>10}{'kbit/s':>9}{'files':>7}")
    for r in m["pipe"]["result"]:
        kbps = f"{r.bitrate / 1000:.0f}" if r.bitrate else "-"
        size = f"{r.width}x{r.height}" if r.width else ""
        print(f"{r.name + ' ' + size:<28}{r.bytes:>10}{kbps:>9}{len(r.files):>7}")
    print()
    print(f"audio: input {input_loudness[0]:.1f} LUFS / {input_loudness[1]:.1f} dBTP ->")
    for name, (integrated, tp) in loudness.items():
        print(f"  {name:<12} {integrated:6.1f} LUFS  {tp:5.1f} dBTP  (target -16 +-1, <= -1)")


if __name__ == "__main__":
    main()
