"""transcode_audio(): AAC + Opus streaming renditions, loudness, waveform."""

from __future__ import annotations

import json
import subprocess

import pytest

from media_pipeline import profiles
from media_pipeline.errors import BadMediaInput
from media_pipeline.probing import probe
from media_pipeline.transcode import measure_loudness, transcode_audio

AUDIO_CASES = ["quiet_wav", "mp3_cover", "audio_mp4"]


@pytest.fixture(scope="module")
def transcoded(make_media, tmp_path_factory):
    cache = {}

    def get(name):
        if name not in cache:
            src = make_media(name)
            info = probe(src)
            out_dir = tmp_path_factory.mktemp(f"audio-{name}")
            calls = []
            cache[name] = (
                info,
                out_dir,
                transcode_audio(src, out_dir, info, on_progress=calls.append),
                calls,
            )
        return cache[name]

    return get


def streams(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("case", AUDIO_CASES)
def test_aac_and_opus_renditions(transcoded, case):
    info, out_dir, renditions, _ = transcoded(case)
    by_name = {r.name: r for r in renditions}
    assert set(by_name) == {"audio-aac", "audio-opus", "waveform"}
    for name, codec, container in (("audio-aac", "aac", "mov"), ("audio-opus", "opus", "webm")):
        data = streams(out_dir / by_name[name].path)
        assert [s["codec_name"] for s in data["streams"]] == [codec]  # cover art dropped
        assert container in data["format"]["format_name"]
        assert float(data["format"]["duration"]) == pytest.approx(info.duration, abs=0.1)
        assert by_name[name].duration == pytest.approx(info.duration, abs=0.1)


@pytest.mark.parametrize("case", AUDIO_CASES)
def test_loudness_is_normalised(transcoded, case):
    _, out_dir, renditions, _ = transcoded(case)
    for r in renditions:
        if r.kind == "audio":
            integrated, peak = measure_loudness(out_dir / r.path)
            assert integrated == pytest.approx(profiles.LOUDNESS.integrated, abs=1.0), r.name
            assert peak <= profiles.LOUDNESS.true_peak, r.name


def test_quiet_source_was_far_off_target(make_media):
    # Guards the test above against a source that was already at -16 LUFS.
    integrated, _ = measure_loudness(make_media("quiet_wav"))
    assert integrated < -30


def test_aac_is_faststart(transcoded):
    _, out_dir, renditions, _ = transcoded("quiet_wav")
    head = (out_dir / "audio.m4a").read_bytes()[:2048]
    assert b"moov" in head


def test_waveform_json(transcoded):
    info, out_dir, renditions, _ = transcoded("quiet_wav")
    (wave,) = [r for r in renditions if r.kind == "waveform"]
    data = json.loads((out_dir / wave.path).read_text())
    assert data["duration"] == pytest.approx(info.duration)
    assert len(data["peaks"]) == profiles.WAVEFORM_POINTS
    assert max(data["peaks"]) == 1.0 and min(data["peaks"]) > 0.5  # a steady tone


def test_progress_and_only_outputs_on_disk(transcoded):
    _, out_dir, renditions, calls = transcoded("mp3_cover")
    assert calls == sorted(calls) and calls[-1] == 100.0
    on_disk = sorted(p.name for p in out_dir.iterdir())
    assert on_disk == ["audio.m4a", "audio.webm", "waveform.json"]
    assert sorted(f for r in renditions for f in r.files) == on_disk


def test_video_without_audio_is_refused(make_media, tmp_path):
    src = make_media("no_audio")
    with pytest.raises(BadMediaInput, match="no sound"):
        transcode_audio(src, tmp_path, probe(src))


def test_silent_track_is_encoded_without_amplifying_noise(media_dir, tmp_path):
    from tests.media_pipeline import mediagen

    src = media_dir / "silence.wav"
    mediagen.run("-f", "lavfi", "-i", "anullsrc=sample_rate=48000:duration=2", str(src))
    renditions = transcode_audio(src, tmp_path, probe(src))
    assert {r.name for r in renditions} == {"audio-aac", "audio-opus", "waveform"}
    peaks = json.loads((tmp_path / "waveform.json").read_text())["peaks"]
    assert max(peaks) == 0.0
