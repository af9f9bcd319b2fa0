"""ingest_media, verify_fixity and media_sweeper."""

import json

import pytest
from django.core.management import call_command
from django.test import TestCase

from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset

pytestmark = pytest.mark.django_db


def test_ingest_media_wait_prints_json(work_dirs, tiny, capsys):
    call_command("ingest_media", str(tiny["video"]), "--title", "Lễ hội", "--wait")
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["state"] == "ready" and data["media_type"] == "video"
    assert data["probe"]["container"].startswith("mov,mp4")
    assert data["probe"]["width"] == 320 and data["probe"]["height"] == 180
    assert data["probe"]["frame_rate"] == 30 and data["probe"]["audio_channels"] == 1
    assert data["probe"]["rotation"] == 0 and data["probe"]["duration"] == pytest.approx(1, abs=0.1)
    hls = next(r for r in data["renditions"] if r["name"] == "hls")
    assert hls["url"].startswith("/files/") and hls["storage_path"].endswith("hls/master.m3u8")
    mp4 = next(r for r in data["renditions"] if r["kind"] == "mp4")
    assert mp4["width"] == 320 and mp4["bitrate"] > 0 and mp4["bytes"] > 0
    assert "%" in err  # the progress bar


def test_verify_fixity_finds_changed_and_missing_masters(work_dirs, tiny, tmp_path, capsys):
    good = ingest_file(tiny["wav"], deliver=False).asset
    changed_src = tmp_path / "b.wav"
    changed_src.write_bytes(tiny["wav"].read_bytes() + b"\0")
    changed = ingest_file(changed_src, deliver=False).asset
    missing_src = tmp_path / "c.wav"
    missing_src.write_bytes(tiny["wav"].read_bytes() + b"\0\0")
    missing = ingest_file(missing_src, deliver=False).asset
    call_command("verify_fixity")
    capsys.readouterr()
    with changed.file.storage.open(changed.file.name, "wb") as fh:
        fh.write(b"bit rot")
    missing.file.storage.delete(missing.file.name)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_fixity")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert f"CHANGED\t{changed.pk}\t" in out and f"MISSING\t{missing.pk}\t" in out
    assert f"\t{good.pk}\t" not in out
    assert MediaAsset.objects.get(pk=good.pk).fixity_ok is True
    assert MediaAsset.objects.get(pk=changed.pk).fixity_ok is False


def test_media_sweeper_command(work_dirs, tiny, capsys):
    job = ingest_file(tiny["wav"], deliver=False).job
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("media_sweeper")
    assert json.loads(capsys.readouterr().out)["delivered"] == 1
    job.refresh_from_db()
    assert job.state == "succeeded"
