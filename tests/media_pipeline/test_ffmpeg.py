"""probe(), errors, whitelists, verify_rendition(), loudness and waveform helpers."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from media_pipeline import profiles
from media_pipeline.errors import BadMediaInput, MediaError
from media_pipeline.ffmpeg import LoudnessMeasure, build_video_command, linear_gain
from media_pipeline.probing import probe
from media_pipeline.renditions import playlist_duration, verify_rendition
from media_pipeline.transcode import measure_loudness
from media_pipeline.waveform import waveform_peaks
from tests.media_pipeline import mediagen


def test_probe_landscape(make_media):
    info = probe(make_media("landscape"))
    assert info.kind == "video"
    assert "mp4" in info.container
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert info.size > 0
    v = info.video
    assert (v.codec, v.width, v.height, v.rotation) == ("h264", 640, 360, 0)
    assert (v.display_width, v.display_height) == (640, 360)
    assert v.frame_rate == 30 and not v.variable_frame_rate
    assert not v.interlaced and v.bit_depth == 8 and v.pix_fmt == "yuv420p"
    assert info.audio.codec == "aac" and info.audio.sample_rate == 48000
    assert info.audio.channels == 1
    assert not info.has_attached_pic


@pytest.mark.parametrize("name,rotation", [("portrait", 90), ("portrait270", 270)])
def test_probe_rotation_swaps_display_size(make_media, name, rotation):
    v = probe(make_media(name)).video
    assert (v.width, v.height) == (640, 360)
    assert v.rotation == rotation
    assert (v.display_width, v.display_height) == (360, 640)


def test_probe_variable_frame_rate(make_media):
    v = probe(make_media("vfr")).video
    assert v.variable_frame_rate
    assert v.r_frame_rate == 30 and v.frame_rate < 30


def test_probe_interlaced(make_media):
    v = probe(make_media("interlaced")).video
    assert v.interlaced and v.field_order in ("tt", "tb")


def test_probe_odd_size(make_media):
    v = probe(make_media("odd")).video
    assert (v.width, v.height) == (641, 361)


def test_probe_hevc_10bit(make_media):
    v = probe(make_media("hevc10")).video
    assert v.codec == "hevc" and v.bit_depth == 10 and v.pix_fmt == "yuv420p10le"


def test_audio_only_mp4_is_audio(make_media):
    info = probe(make_media("audio_mp4"))
    assert info.kind == "audio" and info.video is None and info.audio.codec == "aac"


def test_mp3_cover_art_is_not_video(make_media):
    info = probe(make_media("mp3_cover"))
    assert info.kind == "audio"
    assert info.has_attached_pic
    assert info.video is None
    assert info.audio.codec == "mp3"


def test_photo_is_image(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), "red").save(path)
    info = probe(path)
    assert info.kind == "image" and info.container == "jpeg"
    assert (info.video.width, info.video.height) == (64, 48)


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.touch()
    with pytest.raises(BadMediaInput, match="empty"):
        probe(path)


def test_truncated_mp4_without_moov(make_media):
    with pytest.raises(BadMediaInput, match="moov") as exc:
        probe(make_media("truncated"))
    assert "moov atom not found" in exc.value.stderr_tail


def test_text_file_is_not_media(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("minutes of the village meeting\n" * 20, encoding="utf-8")
    with pytest.raises(BadMediaInput, match="not a video or audio file"):
        probe(path)


def test_missing_file(tmp_path):
    with pytest.raises(BadMediaInput, match="could not be found"):
        probe(tmp_path / "nope.mp4")


def test_unsupported_container(tmp_path):
    path = tmp_path / "clip.nut"
    mediagen.run("-f", "lavfi", "-i", "testsrc2=duration=1", "-c:v", "ffv1", "-f", "nut", str(path))
    with pytest.raises(BadMediaInput, match="not accepted"):
        probe(path)


def _plain_ffprobe_duration(path):
    """What an unguarded ffprobe makes of the file (the attack working)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return out.stdout.strip()


def test_disguised_playlist_is_refused_not_followed(make_media, media_dir):
    secret = make_media("landscape")
    playlist = mediagen.playlist_in_disguise(media_dir, secret)
    # Without the whitelist ffprobe would follow it into the secret file.
    assert float(_plain_ffprobe_duration(playlist)) == pytest.approx(3.0, abs=0.1)
    with pytest.raises(BadMediaInput, match="not accepted") as exc:
        probe(playlist)
    # The hls demuxer was refused before it could read a single segment.
    assert "hls" in exc.value.stderr_tail and "whitelist" in exc.value.stderr_tail
    assert "landscape.mp4" not in exc.value.stderr_tail


def test_disguised_concat_list_is_refused(make_media, media_dir):
    secret = make_media("landscape")
    listing = mediagen.concat_in_disguise(media_dir, secret)
    with pytest.raises(BadMediaInput, match="not accepted") as exc:
        probe(listing)
    assert "concat" in exc.value.stderr_tail


def test_media_error_keeps_translatable_template():
    err = MediaError("rendition %(name)s is short", {"name": "360p"}, stderr_tail="x")
    assert str(err) == "rendition 360p is short"
    assert err.template == "rendition %(name)s is short" and err.params == {"name": "360p"}


def test_verify_rendition_rejects_short_output(make_media):
    with pytest.raises(BadMediaInput) as exc:
        verify_rendition(make_media("landscape"), 10.0, name="360p")
    assert exc.value.message == (
        "rendition 360p is 3.0 s long but the source is 10.0 s: the source may be truncated"
    )
    assert verify_rendition(make_media("landscape"), 3.05) == pytest.approx(3.0, abs=0.1)


def test_playlist_duration_sums_extinf(tmp_path):
    path = tmp_path / "index.m3u8"
    path.write_text("#EXTM3U\n#EXTINF:2.000,\na.m4s\n#EXTINF:1.5,\nb.m4s\n#EXT-X-ENDLIST\n")
    assert playlist_duration(path) == pytest.approx(3.5)


def test_measure_loudness_of_known_tones(media_dir):
    # A 1 kHz sine peaking at -20 dBFS is -23 LUFS (K-weighting is ~0 dB at
    # 1 kHz, a sine's RMS is 3 dB under its peak); true peak is the peak.
    loud = mediagen.tone_wav(media_dir, "tone_m20.wav", -20)
    integrated, peak = measure_loudness(loud)
    assert integrated == pytest.approx(-23.0, abs=0.5)
    assert peak == pytest.approx(-20.0, abs=0.3)
    quieter = mediagen.tone_wav(media_dir, "tone_m30.wav", -30)
    assert measure_loudness(quieter)[0] == pytest.approx(integrated - 10, abs=0.3)


def test_waveform_peaks_shape(make_media):
    peaks = waveform_peaks(make_media("silence_then_tone"), points=100)
    assert len(peaks) == 100
    assert all(0.0 <= p <= 1.0 for p in peaks)
    assert max(peaks[:45]) < 0.01
    assert min(peaks[55:]) > 0.9
    raw = waveform_peaks(make_media("silence_then_tone"), points=100, normalize=False)
    assert max(raw) == pytest.approx(0.9, abs=0.02)


def test_waveform_default_points(make_media):
    assert len(waveform_peaks(make_media("quiet_wav"))) == profiles.WAVEFORM_POINTS


def test_ladder_never_upscales():
    assert [r.name for r in profiles.select_rungs(1920, 1080)] == ["240p", "360p", "720p", "1080p"]
    assert [r.name for r in profiles.select_rungs(641, 361)] == ["240p", "360p"]
    assert [r.name for r in profiles.select_rungs(720, 1280)] == ["240p", "360p", "720p"]
    (own,) = profiles.select_rungs(201, 151)
    assert own.height == 150
    assert profiles.rung_size(own, 201, 151) == (200, 150)


def test_output_fps_is_capped_and_constant():
    from fractions import Fraction

    assert profiles.output_fps(Fraction(60), False) == 30
    assert profiles.output_fps(Fraction(30000, 1001), False) == Fraction(30000, 1001)
    assert profiles.output_fps(Fraction(2247, 100), True) == 22
    assert profiles.gop_frames(Fraction(25)) == 50


def _measure(integrated: float, true_peak: float) -> LoudnessMeasure:
    return LoudnessMeasure(integrated, true_peak, 5.0, integrated - 10, 0.0)


def test_linear_gain_only_when_the_peak_stays_under_the_ceiling():
    assert linear_gain(_measure(-26.0, -12.0)) == pytest.approx(10.0)
    # +10 dB would put a -9 dBTP peak at +1 dBTP: loudnorm has to limit it.
    assert linear_gain(_measure(-26.0, -9.0)) is None
    assert linear_gain(_measure(-80.0, -60.0)) is None  # silence stays silence
    assert linear_gain(None) is None


def test_video_command_bounds_threads_per_encoder(make_media, tmp_path):
    """Memory: decoder and encoder threads are fixed, not sized from the machine."""
    src = make_media("full_hd")
    info = probe(src)
    rungs = profiles.select_rungs(1920, 1080)
    args = build_video_command(
        src, tmp_path, info, rungs, preset="veryfast", loudness=_measure(-26.0, -12.0)
    )
    opts = dict(zip(args, args[1:], strict=False))
    assert opts["-threads"] == str(profiles.DECODE_THREADS)
    assert args.index("-threads") < args.index("-i")
    assert [opts[f"-threads:v:{i}"] for i in range(4)] == ["1", "1", "2", "2"]
    assert "sliced-threads=1" in opts["-x264-params:v:3"]
    assert "sliced-threads" not in opts["-x264-params:v:0"]
    graph = opts["-filter_complex"]
    assert "volume=10.00dB" in graph and "loudnorm" not in graph
    assert f"thumbnail={profiles.POSTER_CANDIDATE_FPS}" in graph
