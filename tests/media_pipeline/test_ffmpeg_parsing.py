"""The pure half of ffmpeg.py, on ffprobe/ffmpeg output written out by hand: no process runs."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from media_pipeline import ffmpeg
from media_pipeline.thumbnail_vtt import vtt_time


def _probe_json(*streams, duration="12.480000"):
    return {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": duration, "bit_rate": "8"},
        "streams": list(streams),
    }


PHONE_VIDEO = {
    "index": 0,
    "codec_type": "video",
    "codec_name": "h264",
    "pix_fmt": "yuv420p",
    "width": 1920,
    "height": 1080,
    "sample_aspect_ratio": "1:1",
    "avg_frame_rate": "2247/100",
    "r_frame_rate": "30/1",
    "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}],
}
STEREO = {"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 2,
          "sample_rate": "48000"}  # fmt: skip
COVER_ART = {"index": 2, "codec_type": "video", "codec_name": "mjpeg",
             "disposition": {"attached_pic": 1}}  # fmt: skip


def test_a_portrait_phone_video_is_turned_upright_and_marked_variable_rate():
    info = ffmpeg.parse_probe(_probe_json(PHONE_VIDEO, STEREO), path="clip.mp4", size=100)
    assert info.kind == "video" and info.duration == pytest.approx(12.48)
    v = info.video
    assert v.rotation == 270
    assert (v.display_width, v.display_height) == (1080, 1920)
    assert v.frame_rate == Fraction(2247, 100) and v.variable_frame_rate
    assert (info.audio.channels, info.audio.sample_rate) == (2, 48000)


def test_cover_art_is_never_the_video():
    info = ffmpeg.parse_probe(_probe_json(STEREO, COVER_ART), path="song.mp3", size=100)
    assert info.kind == "audio" and info.video is None and info.has_attached_pic


def test_anamorphic_pixels_widen_the_display_size():
    dv = dict(PHONE_VIDEO, width=720, height=576, sample_aspect_ratio="16:15", side_data_list=[])
    v = ffmpeg.parse_probe(_probe_json(dv), path="dv.avi", size=1).video
    assert (v.display_width, v.display_height) == (768, 576)


def test_no_duration_parses_as_zero():
    assert ffmpeg.parse_probe(_probe_json(STEREO, duration="N/A"), path="x", size=1).duration == 0


def test_loudnorm_figures_come_from_the_last_json_block():
    stderr = (
        "[Parsed_loudnorm_0 @ 0x55] \n{\n"
        '"input_i" : "-27.61",\n"input_tp" : "-9.40",\n"input_lra" : "6.20",\n'
        '"input_thresh" : "-38.02",\n"target_offset" : "0.45"\n}\n'
    )
    measure = ffmpeg.parse_loudness_analysis(stderr)
    assert (measure.input_i, measure.input_tp, measure.target_offset) == (-27.61, -9.40, 0.45)
    silent = ffmpeg.parse_loudness_analysis(stderr.replace('"-27.61"', '"-inf"'))
    assert silent.input_i == -math.inf
    assert ffmpeg.parse_loudness_analysis("Conversion failed!") is None


def test_ebur128_summary():
    stderr = (
        "[Parsed_ebur128_0 @ 0x5] Summary:\n\n  Integrated loudness:\n    I:         -23.0 LUFS\n"
        "  True peak:\n    Peak:      -20.0 dBFS\n"
    )
    assert ffmpeg.parse_ebur128_summary(stderr) == (-23.0, -20.0)
    assert ffmpeg.parse_ebur128_summary("no summary") is None


def test_commands_read_through_the_whitelists_only():
    command = ffmpeg.ffprobe_command("upload.mp4")
    assert command[command.index("-format_whitelist") + 1] == ffmpeg.ACCEPTED_FORMATS
    assert command[command.index("-protocol_whitelist") + 1] == "file"
    pcm = ffmpeg.waveform_pcm_command("upload.wav", 1)
    assert pcm[pcm.index("-protocol_whitelist") + 1] == "file"
    assert pcm.index("-format_whitelist") < pcm.index("-i")


def test_sprite_layout_and_cue_times():
    assert ffmpeg.sprite_layout(3.0) == (3, 1, 1.0)
    assert ffmpeg.sprite_layout(3600.0) == (10, 10, 36.0)
    assert vtt_time(3723.5) == "01:02:03.500"
