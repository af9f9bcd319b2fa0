"""transcode_video() on real generated clips, every output checked with ffprobe."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from media_pipeline import profiles
from media_pipeline.errors import BadMediaInput
from media_pipeline.probing import probe
from media_pipeline.transcode import transcode_video
from tests.media_pipeline import mediagen

VIDEO_CASES = ["landscape", "full_hd", "portrait", "vfr", "odd", "interlaced", "no_audio", "tiny"]


def ffprobe(path, *extra):
    out = subprocess.run(
        ["ffprobe", "-v", "error", *extra, "-of", "json", "-show_format", "-show_streams", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def media_file(out_dir: Path, rendition) -> Path:
    """A file ffprobe can fully read: the MP4 itself, or init + first segment."""
    if rendition.kind != "hls_variant":
        return out_dir / rendition.path
    joined = out_dir.parent / f"{out_dir.name}-{rendition.name}-head.mp4"
    joined.write_bytes(b"".join((out_dir / f).read_bytes() for f in rendition.files[1:3]))
    return joined


def keyframe_times(out_dir: Path, rendition) -> list[float]:
    """Keyframe pts of a variant, read from its init + segments joined."""
    joined = out_dir / f"{rendition.name}.joined.mp4"
    with open(joined, "wb") as fh:
        for rel in rendition.files[1:]:
            fh.write((out_dir / rel).read_bytes())
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "packet=pts_time,flags",
            "-of",
            "csv=p=0",
            joined,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    joined.unlink()
    return [
        round(float(t), 3)
        for t, flags in (line.split(",")[:2] for line in out.split())
        if "K" in flags
    ]


@pytest.fixture(scope="module")
def transcoded(make_media, tmp_path_factory):
    """``transcoded(case)`` -> (probe, out_dir, renditions, progress calls), made once."""
    cache = {}

    def get(name):
        if name not in cache:
            src = make_media(name)
            info = probe(src)
            out_dir = tmp_path_factory.mktemp(f"out-{name}")
            calls = []
            renditions = transcode_video(src, out_dir, info, on_progress=calls.append)
            cache[name] = (info, out_dir, renditions, calls)
        return cache[name]

    return get


def by_kind(renditions, kind):
    return [r for r in renditions if r.kind == kind]


@pytest.mark.parametrize("case", VIDEO_CASES)
def test_variants_are_h264_even_upright_and_never_upscaled(transcoded, case):
    info, out_dir, renditions, _ = transcoded(case)
    v = info.video
    variants = by_kind(renditions, "hls_variant")
    expected = [r.name for r in profiles.select_rungs(v.display_width, v.display_height)]
    assert [r.name for r in variants] == [f"hls-{n}" for n in expected]
    for r in variants + by_kind(renditions, "mp4"):
        streams = ffprobe(media_file(out_dir, r))["streams"]
        (stream,) = [s for s in streams if s["codec_type"] == "video"]
        assert (stream["width"], stream["height"]) == (r.width, r.height)
        assert r.width % 2 == 0 and r.height % 2 == 0
        assert r.width <= v.display_width and r.height <= v.display_height
        assert (r.width >= r.height) == (v.display_width >= v.display_height)
        assert stream["codec_name"] == "h264" and stream["profile"] == "High"
        assert stream["pix_fmt"] == "yuv420p"
        assert not any("rotation" in sd for sd in stream.get("side_data_list", []))


@pytest.mark.parametrize("case", VIDEO_CASES)
def test_durations_match_source(transcoded, case):
    info, out_dir, renditions, _ = transcoded(case)
    for r in renditions:
        if r.kind in ("hls_variant", "mp4", "audio"):
            probed = float(ffprobe(out_dir / r.path)["format"]["duration"])
            assert probed == pytest.approx(info.duration, abs=0.1), r.name


@pytest.mark.parametrize("case", VIDEO_CASES)
def test_keyframes_aligned_across_rungs_on_segment_boundaries(transcoded, case):
    info, out_dir, renditions, _ = transcoded(case)
    lists = [keyframe_times(out_dir, r) for r in by_kind(renditions, "hls_variant")]
    assert len(lists) >= 1 and all(times == lists[0] for times in lists)
    # fMP4 without edit lists starts pts at the B-frame delay; count from it.
    relative = [t - lists[0][0] for t in lists[0]]
    step = profiles.SEGMENT_SECONDS
    assert len(relative) == int((info.duration - 0.01) // step) + 1
    assert all(abs(t / step - round(t / step)) < 0.02 for t in relative)


@pytest.mark.parametrize("case", ["landscape", "portrait", "no_audio"])
def test_hls_is_fmp4_and_plays_end_to_end(transcoded, case):
    info, out_dir, renditions, _ = transcoded(case)
    for r in by_kind(renditions, "hls_variant"):
        names = [os.path.basename(f) for f in r.files]
        assert names[0] == "index.m3u8" and names[1].startswith("init")
        assert all(n.endswith(".m4s") for n in names[2:]) and len(names) > 2
        assert all((out_dir / f).is_file() for f in r.files)
    (master,) = by_kind(renditions, "hls_master")
    # Read every variant of the master end to end, decoding video and audio.
    result = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-i",
            out_dir / master.path,
            "-map",
            "0",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == ""
    streams = ffprobe(out_dir / master.path)["streams"]
    rungs = len(by_kind(renditions, "hls_variant"))
    assert sum(s["codec_type"] == "video" for s in streams) == rungs
    assert sum(s["codec_type"] == "audio" for s in streams) == (rungs if info.audio else 0)


def test_portrait_renditions_are_upright(transcoded):
    _, out_dir, renditions, _ = transcoded("portrait")
    sizes = {r.name: (r.width, r.height) for r in renditions if r.width}
    assert sizes["hls-240p"] == (240, 426) and sizes["hls-360p"] == (360, 640)
    assert sizes["poster"] == (360, 640)


def test_rotated_picture_is_turned_not_squeezed(media_dir, tmp_path):
    # Coded as white left half | black right half, tagged to display turned
    # a quarter: upright output has the halves on top of each other.
    coded = media_dir / "halves.mp4"
    mediagen.run(
        "-f",
        "lavfi",
        "-i",
        "color=white:size=320x360:duration=1",
        "-f",
        "lavfi",
        "-i",
        "color=black:size=320x360:duration=1",
        "-filter_complex",
        "[0][1]hstack",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(coded),
    )
    tagged = media_dir / "halves_rot.mp4"
    mediagen.run("-i", str(coded), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(tagged))
    renditions = transcode_video(tagged, tmp_path, probe(tagged))
    (poster,) = by_kind(renditions, "poster")
    with Image.open(tmp_path / poster.path) as img:
        gray = img.convert("L")
        w, h = gray.size
        assert h > w
        top = ImageStat.Stat(gray.crop((0, 0, w, h // 3))).mean[0]
        bottom = ImageStat.Stat(gray.crop((0, 2 * h // 3, w, h))).mean[0]
        left = ImageStat.Stat(gray.crop((0, 0, w // 3, h))).mean[0]
        right = ImageStat.Stat(gray.crop((2 * w // 3, 0, w, h))).mean[0]
    assert abs(top - bottom) > 200
    assert abs(left - right) < 20


def test_full_hd_gets_all_four_rungs_and_720p_mp4(transcoded):
    _, _, renditions, _ = transcoded("full_hd")
    sizes = {r.name: (r.width, r.height) for r in renditions if r.width}
    assert sizes["hls-1080p"] == (1920, 1080) and sizes["hls-720p"] == (1280, 720)
    assert sizes["mp4-720p"] == (1280, 720)


def test_odd_and_tiny_sources_scale_to_even(transcoded):
    _, _, renditions, _ = transcoded("odd")
    assert {r.name: (r.width, r.height) for r in by_kind(renditions, "hls_variant")} == {
        "hls-240p": (426, 240),
        "hls-360p": (640, 360),
    }
    _, _, tiny, _ = transcoded("tiny")
    assert [(r.name, r.width, r.height) for r in by_kind(tiny, "hls_variant")] == [
        ("hls-150p", 200, 150)
    ]


def test_vfr_becomes_constant_frame_rate(transcoded):
    info, out_dir, renditions, _ = transcoded("vfr")
    (mp4,) = by_kind(renditions, "mp4")
    (stream,) = [s for s in ffprobe(out_dir / mp4.path)["streams"] if s["codec_type"] == "video"]
    target = profiles.output_fps(info.video.frame_rate, True)
    assert stream["avg_frame_rate"] == stream["r_frame_rate"] == f"{target.numerator}/1"


def test_interlaced_is_deinterlaced(transcoded):
    _, out_dir, renditions, _ = transcoded("interlaced")
    (mp4,) = by_kind(renditions, "mp4")
    (stream,) = [s for s in ffprobe(out_dir / mp4.path)["streams"] if s["codec_type"] == "video"]
    assert stream.get("field_order", "progressive") == "progressive"
    assert stream["avg_frame_rate"] == "25/1"


def test_no_audio_source_has_no_audio_outputs(transcoded):
    _, out_dir, renditions, _ = transcoded("no_audio")
    assert not by_kind(renditions, "audio")
    assert not (out_dir / "audio.m4a").exists()
    for r in by_kind(renditions, "hls_variant") + by_kind(renditions, "mp4"):
        assert r.codecs == ("h264",)
        streams = ffprobe(media_file(out_dir, r))["streams"]
        assert [s["codec_type"] for s in streams] == ["video"]


def test_hevc_10bit_becomes_8bit_h264(make_media, tmp_path):
    src = make_media("hevc10")
    renditions = transcode_video(src, tmp_path, probe(src))
    (mp4,) = by_kind(renditions, "mp4")
    (stream,) = [s for s in ffprobe(tmp_path / mp4.path)["streams"] if s["codec_type"] == "video"]
    assert (stream["codec_name"], stream["pix_fmt"]) == ("h264", "yuv420p")


def test_audio_only_rendition_is_aac_64k_and_loudness_normalised(transcoded):
    from media_pipeline.transcode import measure_loudness

    info, out_dir, renditions, _ = transcoded("landscape")
    (audio,) = by_kind(renditions, "audio")
    streams = ffprobe(out_dir / audio.path)["streams"]
    assert [s["codec_name"] for s in streams] == ["aac"]
    assert 40_000 < audio.bitrate < 90_000
    integrated, peak = measure_loudness(out_dir / audio.path)
    assert integrated == pytest.approx(profiles.LOUDNESS.integrated, abs=1.0)
    assert peak <= profiles.LOUDNESS.true_peak + 0.1


def test_mp4_is_faststart(transcoded):
    _, out_dir, renditions, _ = transcoded("landscape")
    (mp4,) = by_kind(renditions, "mp4")
    head = (out_dir / mp4.path).read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (
        head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
    )


def test_poster_and_thumbnail_sprite(transcoded):
    info, out_dir, renditions, _ = transcoded("landscape")
    (poster,) = by_kind(renditions, "poster")
    assert (out_dir / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    (thumbs,) = by_kind(renditions, "thumbnails")
    assert thumbs.files == ("thumbnails.vtt", "thumbnails.jpg")
    vtt = (out_dir / "thumbnails.vtt").read_text().splitlines()
    assert vtt[0] == "WEBVTT"
    cues = [line for line in vtt if "#xywh=" in line]
    assert len(cues) == 3  # one tile per second of a 3 s clip
    assert cues[1] == "thumbnails.jpg#xywh=160,0,160,90"
    assert "00:00:02.000 --> 00:00:03.000" in vtt
    assert (thumbs.width, thumbs.height) == (480, 90)


def test_rendition_records_list_every_file(transcoded):
    _, out_dir, renditions, calls = transcoded("landscape")
    names = [r.name for r in renditions]
    assert len(names) == len(set(names))
    on_disk = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}
    listed = {f for r in renditions for f in r.files}
    assert listed == on_disk
    for r in renditions:
        assert r.bytes == sum((out_dir / f).stat().st_size for f in r.files)
        assert r.path == r.files[0]


def test_progress_is_reported_monotonically_to_100(transcoded):
    *_, calls = transcoded("landscape")
    assert len(calls) >= 3
    assert calls == sorted(calls) and calls[-1] == 100.0


def test_truncated_media_data_is_caught_and_nothing_is_published(make_media, tmp_path):
    src = make_media("cut_faststart")
    info = probe(src)  # the moov is intact, so probing believes 4 s
    assert info.duration == pytest.approx(4.0, abs=0.1)
    (tmp_path / ".partial-999999999-stale").mkdir()  # a killed run's leftovers
    with pytest.raises(BadMediaInput, match="the source may be truncated"):
        transcode_video(src, tmp_path, info)
    assert list(tmp_path.iterdir()) == []


def test_rerun_replaces_outputs_idempotently(make_media, tmp_path):
    src = make_media("no_audio")
    info = probe(src)
    first = transcode_video(src, tmp_path, info)
    (tmp_path / "hls" / "leftover.txt").write_text("from an older run")
    second = transcode_video(src, tmp_path, info)
    assert [r.files for r in first] == [r.files for r in second]
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert on_disk == {f for r in second for f in r.files}


def test_failing_progress_callback_kills_run_and_cleans_up(make_media, tmp_path):
    src = make_media("landscape")

    def cancel(percent):
        if percent > 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        transcode_video(src, tmp_path, probe(src), on_progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_audio_file_is_refused(make_media, tmp_path):
    src = make_media("mp3_cover")
    with pytest.raises(BadMediaInput, match="no video"):
        transcode_video(src, tmp_path, probe(src))


def test_input_whitelist_applies_to_transcode(make_media, media_dir, tmp_path):
    secret = make_media("landscape")
    playlist = mediagen.playlist_in_disguise(media_dir, secret)
    info = probe(secret)  # pretend an attacker swapped the file after probing
    with pytest.raises(BadMediaInput, match="not accepted"):
        transcode_video(playlist, tmp_path, info)
