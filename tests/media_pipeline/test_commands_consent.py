"""ingest_media, verify_fixity, media_sweeper, expire_consents and consent withdrawal."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from heritage.models import Consent, Person
from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset
from tests.media_pipeline.helpers import link_to_public_record

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


@pytest.fixture
def public_audio(archive, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["wav"]).asset
    link_to_public_record(asset)
    person = Person.objects.create(name="Bà Hoàng Thị Then", role="musician")
    consent = Consent.objects.create(
        person=person,
        granted_by="herself",
        covers_public_display=True,
        granted_on=datetime.date(2024, 1, 1),
    )
    asset.people.add(person)
    asset.refresh_from_db()
    return asset, consent


def test_consent_withdrawal_hides_the_file_at_once(client, public_audio):
    asset, consent = public_audio
    url = asset.rendition("audio-aac").url
    assert client.get(url).status_code == 200
    consent.withdrawn_on = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        consent.save()
    assert client.get(url).status_code == 404
    asset.refresh_from_db()
    # The token changed too: a URL cached anywhere now points nowhere.
    assert asset.rendition("audio-aac").url != url


def test_expire_consents_is_idempotent(client, public_audio, capsys):
    asset, consent = public_audio
    url = asset.rendition("audio-aac").url
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Consent.objects.filter(pk=consent.pk).update(expires_on=yesterday)  # no signal: time passed
    assert client.get(url).status_code == 404  # the access rule already hides it
    call_command("expire_consents")
    assert "1 media hidden" in capsys.readouterr().out
    asset.refresh_from_db()
    assert asset.rendition("audio-aac").url != url
    call_command("expire_consents")
    assert "0 people" in capsys.readouterr().out
