"""Benchmark the media pipeline against hand-written ffmpeg baselines.

    .venv/bin/python bench/transcode.py

Generates a 1080p 30 s clip, a 720p 30 s clip and a 5-minute recording,
then measures, in this same run:
  * transcode_video (whole job) vs one hand-written ffmpeg command making
    the same ladder (target ratio <= 1.05),
  * vs one ffmpeg process per rung run one after another (target >= 1.5x),
  * the realtime factor of a 240/360/720 ladder at veryfast (target >= 2x),
  * peak memory of ffmpeg children, bytes per rendition,
  * transcode_audio time and the loudness it reaches.
Progress bars go to stderr, results to stdout.
"""

from __future__ import annotations

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
    measure_loudness,
    probe,
    transcode_audio,
    transcode_video,
)

CLIP_SECONDS = 30
AUDIO_SECONDS = 300


def ffmpeg(*args: str, timeout: float = 900) -> None:
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args]
    subprocess.run(cmd, check=True, timeout=timeout)


def generate(work: Path) -> tuple[Path, Path, Path]:
    clip = work / "festival_1080p.mp4"
    clip720 = work / "festival_720p.mp4"
    audio = work / "interview.wav"
    for path, size in ((clip, "1920x1080"), (clip720, "1280x720")):
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={size}:rate=30:duration={CLIP_SECONDS}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "18",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "192k",
            str(path),
        )
    expr = "(0.2+0.2*sin(2*PI*0.1*t))*sin(2*PI*440*t)+0.05*sin(2*PI*2000*t)"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc='{expr}':sample_rate=48000:duration={AUDIO_SECONDS}",
        "-ac",
        "2",
        str(audio),
    )
    return clip, clip720, audio


def x264_args(rungs) -> list[str]:
    """Per-rung rate control, GOP and keyframe options as a person would type them."""
    gop = profiles.gop_frames(Fraction(30))
    args = [
        "-c:v",
        "libx264",
        "-profile:v",
        "high",
        "-preset",
        profiles.DEFAULT_PRESET,
        "-g",
        str(gop),
        "-keyint_min",
        str(gop),
        "-sc_threshold",
        "0",
        "-force_key_frames",
        profiles.force_key_frames_expr(),
        "-c:a",
        "aac",
        "-ac",
        "1",
    ]
    for i, rung in enumerate(rungs):
        args += [
            f"-b:v:{i}",
            f"{rung.video_bitrate // 1000}k",
            f"-maxrate:v:{i}",
            f"{rung.maxrate // 1000}k",
            f"-bufsize:v:{i}",
            f"{rung.bufsize // 1000}k",
            f"-b:a:{i}",
            f"{rung.audio_bitrate // 1000}k",
        ]
    return args


HLS_ARGS = [
    "-f",
    "hls",
    "-hls_time",
    "2",
    "-hls_playlist_type",
    "vod",
    "-hls_segment_type",
    "fmp4",
    "-hls_flags",
    "independent_segments",
]


def handwritten_single(src: Path, out: Path, rungs) -> None:
    """The one-command ladder a person would write: same rungs, poster, sprite, audio."""
    out.mkdir()
    n = len(rungs)
    graph = [f"[0:v]fps=30,format=yuv420p,split={n + 2}" + "".join(f"[v{i}]" for i in range(n + 2))]
    for i, rung in enumerate(rungs):
        w, h = profiles.rung_size(rung, 1920, 1080)
        graph.append(f"[v{i}]scale={w}:{h},setsar=1[o{i}]")
    graph.append(f"[v{n}]trim=start=3:end=4,scale=1280:720,thumbnail=30[poster]")
    graph.append(f"[v{n + 1}]fps=1,scale=160:90,tile=10x3[sprite]")
    graph.append(
        "[0:a]loudnorm=I=-16:TP=-1:LRA=11,aresample=48000,asplit="
        f"{n + 1}" + "".join(f"[a{i}]" for i in range(n + 1))
    )
    maps = []
    for i in range(n):
        maps += ["-map", f"[o{i}]", "-map", f"[a{i}]"]
    var_map = " ".join(f"v:{i},a:{i},name:{r.name}" for i, r in enumerate(rungs))
    ffmpeg(
        "-format_whitelist",
        ACCEPTED_FORMATS,
        "-protocol_whitelist",
        "file",
        "-i",
        str(src),
        "-filter_complex",
        ";".join(graph),
        *maps,
        *x264_args(rungs),
        *HLS_ARGS,
        "-hls_segment_filename",
        str(out / "%v_%05d.m4s"),
        "-master_pl_name",
        "master.m3u8",
        "-var_stream_map",
        var_map,
        str(out / "%v.m3u8"),
        "-map",
        f"[a{n}]",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-movflags",
        "+faststart",
        str(out / "audio.m4a"),
        "-map",
        "[poster]",
        "-frames:v",
        "1",
        "-update",
        "1",
        str(out / "poster.jpg"),
        "-map",
        "[sprite]",
        "-frames:v",
        "1",
        "-update",
        "1",
        str(out / "sprite.jpg"),
    )


def per_rung_processes(src: Path, out: Path, rungs) -> None:
    """One ffmpeg per rung, one after another: the naive ladder."""
    out.mkdir()
    for rung in rungs:
        w, h = profiles.rung_size(rung, 1920, 1080)
        ffmpeg(
            "-format_whitelist",
            ACCEPTED_FORMATS,
            "-protocol_whitelist",
            "file",
            "-i",
            str(src),
            "-vf",
            f"fps=30,scale={w}:{h},setsar=1,format=yuv420p",
            "-af",
            "loudnorm=I=-16:TP=-1:LRA=11,aresample=48000",
            *x264_args([rung]),
            *HLS_ARGS,
            "-hls_segment_filename",
            str(out / f"{rung.name}_%05d.m4s"),
            "-hls_fmp4_init_filename",
            f"{rung.name}_init.mp4",
            str(out / f"{rung.name}.m3u8"),
        )


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, func, *args, **kwargs):
    """(wall s, CPU s of this process and its children, result)."""
    start, cpu = time.perf_counter(), _cpu()
    result = func(*args, **kwargs)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    tqdm.write(f"  {label}: {elapsed:.1f} s wall, {used:.1f} s CPU", file=sys.stderr)
    return elapsed, used, result


def pipeline(src: Path, out: Path, desc: str):
    info = probe(src)
    with tqdm(total=100, desc=desc, unit="%", file=sys.stderr, leave=False) as bar:

        def report(percent: float) -> None:
            bar.update(percent - bar.n)

        return transcode_video(src, out, info, on_progress=report)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as tmp:
        work = Path(tmp)
        tqdm.write("generating sources...", file=sys.stderr)
        clip, clip720, audio = generate(work)
        rungs = profiles.select_rungs(1920, 1080)

        t_pipe, c_pipe, renditions = timed(
            "pipeline 1080p", pipeline, clip, work / "pipe", "pipeline"
        )
        t_single, c_single, _ = timed(
            "hand-written single", handwritten_single, clip, work / "single", rungs
        )
        t_per_rung, c_per_rung, _ = timed(
            "per-rung processes", per_rung_processes, clip, work / "rungs", rungs
        )
        t_720, c_720, _ = timed("pipeline 720p", pipeline, clip720, work / "p720", "720p")

        audio_info = probe(audio)
        t_audio, c_audio, audio_renditions = timed(
            "audio pipeline", transcode_audio, audio, work / "audio", audio_info
        )
        loudness = {
            r.name: measure_loudness(work / "audio" / r.path)
            for r in audio_renditions
            if r.kind == "audio"
        }
        input_loudness = measure_loudness(audio)
        child_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"\nSource: 1080p30 testsrc2 + sine, {CLIP_SECONDS} s; ladder "
        f"{'/'.join(r.name for r in rungs)} at {profiles.DEFAULT_PRESET}; 2 cores"
    )
    rows = [
        ("pipeline transcode_video (1080p, 4 rungs)", t_pipe, c_pipe, CLIP_SECONDS),
        ("hand-written single ffmpeg command", t_single, c_single, CLIP_SECONDS),
        ("one ffmpeg per rung, sequential", t_per_rung, c_per_rung, CLIP_SECONDS),
        ("pipeline 720p source (240/360/720 rungs)", t_720, c_720, CLIP_SECONDS),
        (
            f"audio pipeline ({AUDIO_SECONDS // 60} min, AAC+Opus+waveform)",
            t_audio,
            c_audio,
            AUDIO_SECONDS,
        ),
    ]
    print(f"{'job':<46}{'wall s':>8}{'CPU s':>8}{'x realtime':>12}")
    for label, seconds, cpu, duration in rows:
        print(f"{label:<46}{seconds:>8.1f}{cpu:>8.1f}{duration / seconds:>12.2f}")
    print()
    print(
        f"pipeline / hand-written single   = {t_pipe / t_single:.3f} wall, "
        f"{c_pipe / c_single:.3f} CPU  (target <= 1.05)"
    )
    print(
        f"per-rung sequential / pipeline   = {t_per_rung / t_pipe:.2f}x wall, "
        f"{c_per_rung / c_pipe:.2f}x CPU  (target >= 1.5x)"
    )
    print(
        f"3-rung ladder realtime factor    = {CLIP_SECONDS / t_720:.2f}x wall; "
        f"{2 * CLIP_SECONDS / c_720:.2f}x if both cores were ours  (target >= 2x)"
    )
    load = os.getloadavg()[0]
    print(
        f"load average at the end          = {load:.1f} on {os.cpu_count()} cores "
        "(other jobs on the machine inflate wall times)"
    )
    print(
        f"peak RSS: largest ffmpeg child {child_rss_mb:.0f} MiB, this process {self_rss_mb:.0f} MiB"
    )
    print()
    print(f"{'rendition (1080p source)':<28}{'size':>10}{'kbit/s':>9}{'files':>7}")
    for r in renditions:
        kbps = f"{r.bitrate / 1000:.0f}" if r.bitrate else "-"
        size = f"{r.width}x{r.height}" if r.width else ""
        print(f"{r.name + ' ' + size:<28}{r.bytes:>10}{kbps:>9}{len(r.files):>7}")
    print()
    print(f"audio: input {input_loudness[0]:.1f} LUFS / {input_loudness[1]:.1f} dBTP ->")
    for name, (integrated, peak) in loudness.items():
        print(f"  {name:<12} {integrated:6.1f} LUFS  {peak:5.1f} dBTP  (target -16 +-1, <= -1)")


if __name__ == "__main__":
    main()
