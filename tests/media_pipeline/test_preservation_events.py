"""The PREMIS event log: each ingest, fixity check, transcode and deletion of a master."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset, PreservationEvent
from media_pipeline.storage import private_storage

pytestmark = pytest.mark.django_db


def ingest(path, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = ingest_file(path, **kwargs)
    result.asset.refresh_from_db()
    return result.asset


def events(asset_uuid):
    return list(
        PreservationEvent.objects.filter(asset_uuid=str(asset_uuid)).values_list(
            "event_type", "outcome", "agent"
        )
    )


def test_ingest_and_transcode_log_ingestion_then_migration_by_ffmpeg(archive, work_dirs, tiny):
    asset = ingest(tiny["video"])
    version = subprocess.run(
        ["ffmpeg", "-version"], capture_output=True, text=True, check=True, timeout=10
    ).stdout.split()[2]
    assert events(asset.uuid) == [
        ("ingestion", "success", "heritage-archive media_pipeline ingest"),
        ("migration", "success", f"ffmpeg {version}"),
    ]
    assert PreservationEvent.objects.filter(asset=asset).first().asset_sha256 == asset.sha256


def test_a_photo_is_migrated_by_pillow(archive, work_dirs, tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (320, 240), "red").save(path)
    asset = ingest(path)
    assert events(asset.uuid)[-1][:2] == ("migration", "success")
    assert events(asset.uuid)[-1][2].startswith("Pillow ")


def test_a_failed_transcode_logs_a_failed_migration(archive, work_dirs, tiny):
    asset = ingest(tiny["truncated"])
    assert events(asset.uuid)[-1][:2] == ("migration", "failure")


def test_verify_fixity_logs_success_then_failure_when_the_master_changed(archive, work_dirs, tiny):
    asset = ingest(tiny["video"])
    call_command("verify_fixity", "--asset", str(asset.pk))
    storage = private_storage()
    with storage.open(asset.file.name, "rb") as fh:
        data = bytearray(fh.read())
    data[100] ^= 0xFF
    storage.delete(asset.file.name)
    storage.save(asset.file.name, io.BytesIO(bytes(data)))
    with pytest.raises(SystemExit):
        call_command("verify_fixity", "--asset", str(asset.pk))
    checks = [e[1] for e in events(asset.uuid) if e[0] == "fixity check"]
    assert checks == ["success", "failure"]


def test_deleting_in_the_admin_logs_a_deletion_that_outlives_the_asset(
    client, archive, work_dirs, tiny, officer
):
    asset = ingest(tiny["video"])
    client.force_login(officer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_media_pipeline_mediaasset:delete", args=[asset.pk])
        )
    assert response.status_code == 302
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    deletion = PreservationEvent.objects.get(asset_uuid=str(asset.uuid), event_type="deletion")
    assert deletion.asset is None and deletion.asset_sha256 == asset.sha256
