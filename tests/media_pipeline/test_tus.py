"""The tus 1.0 server (core + creation + termination) through the test client."""

import base64
import hashlib
import importlib
import os
import random

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from media_pipeline.models import MediaAsset, ProcessingState, UploadSession
from media_pipeline.uploads import finish, part_path
from tests.guards import data_unchanged

pytestmark = pytest.mark.django_db
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def meta(**values):
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


class BrokenStream:
    """A request body whose connection drops after ``limit`` bytes."""

    def __init__(self, data, limit):
        self.data, self.limit, self.pos = data, limit, 0

    def read(self, size=-1):
        if self.pos >= self.limit:
            raise OSError("connection reset by peer")
        size = (
            self.limit - self.pos if size is None or size < 0 else min(size, self.limit - self.pos)
        )
        chunk = self.data[self.pos : self.pos + size]
        self.pos += len(chunk)
        return chunk

    def readline(self, *args):
        return self.read()


def patch(client, url, data, offset, **extra):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
        **extra,
    )


def create(client, length, **metadata):
    return client.post(
        reverse("media_pipeline_admin:tus_upload"),
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=meta(**metadata),
        **TUS,
    )


def test_options_advertises_extensions(client, officer):
    client.force_login(officer)
    response = client.options(reverse("media_pipeline_admin:tus_upload"))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination"}


def test_chunked_upload_with_resume_after_an_interrupted_patch(
    client, officer, work_dirs, tiny, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = tiny["wav"].read_bytes()
    response = create(client, len(data), filename="Hát then ở Bắc Kạn.wav", title="Hát then")
    assert response.status_code == 201
    url = response["Location"]
    third = len(data) // 3

    assert patch(client, url, data[:third], 0).status_code == 204
    # The second chunk's connection drops half-way: what arrived is kept.
    cut = third + third // 2
    broken = BrokenStream(data[third : 2 * third], cut - third)
    patch(
        client,
        url,
        b"",
        third,
        CONTENT_LENGTH=str(third),
        CONTENT_TYPE="application/offset+octet-stream",
        **{"wsgi.input": broken},
    )
    head = client.head(url, **TUS)
    assert head.status_code == 200 and head["Upload-Offset"] == str(cut)
    assert "no-store" in head["Cache-Control"]
    # A client that lost track and sends the wrong offset is told so.
    assert patch(client, url, data[third:], third).status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        done = patch(client, url, data[cut:], cut)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    result = client.get(url).json()
    assert result["phase"] == "queued" and result["hashed_bytes"] == len(data)
    asset = MediaAsset.objects.get(pk=result["asset"]["id"])
    assert asset.original_filename == "Hát then ở Bắc Kạn.wav"
    assert asset.title == "Hát then"
    with asset.file.open("rb") as fh:
        assert fh.read() == data
    assert asset.state == ProcessingState.READY
    assert result["asset"]["state"] == "ready" and result["duplicate"] is False
    assert not list((work_dirs / "uploads").glob("*.part"))

    # The same bytes again: offered as the existing asset.
    again = create(client, len(data), filename="copy.wav")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        patch(client, again, data, 0)
    response = client.head(again, **TUS)
    assert response["Media-Asset-Id"] == str(asset.pk)
    assert response["Media-Asset-Duplicate"] == "1"
    assert client.get(again).json()["phase"] == "done"


def test_the_patch_completing_an_upload_leaves_hashing_and_storing_to_a_task(
    client, officer, work_dirs, task_queue, django_capture_on_commit_callbacks
):
    # A queue that does not run tasks at once, like production's: the PATCH
    # must answer while the file is still unhashed, and the worker finishes it.
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    client.force_login(officer)
    data = os.urandom(3 * 1024 * 1024 + 17)
    url = create(client, len(data), filename="field-recording.bin", title="Ghi âm")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        done = patch(client, url, data, 0)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    assert "Media-Asset-Id" not in done
    waiting = client.get(url).json()
    assert waiting["phase"] == "hashing" and waiting["hashed_bytes"] == 0
    assert waiting["phase_label"] == "Checking the file (SHA-256)"
    assert MediaAsset.objects.count() == 0
    assert DBTaskResult.objects.filter(task_path="media_pipeline.tasks.finish_upload").count() == 1

    task_queue.work_once()
    result = client.get(url).json()
    assert result["phase"] in ("queued", "done")
    assert result["hashed_bytes"] == len(data)
    asset = MediaAsset.objects.get(pk=result["asset"]["id"])
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    assert asset.title == "Ghi âm" and asset.jobs.count() == 1
    assert not part_path(UploadSession.objects.get()).exists()


def test_a_finishing_that_fails_says_why(client, officer, work_dirs, settings, tiny):
    client.force_login(officer)
    data = tiny["wav"].read_bytes()
    url = create(client, len(data), filename="a.wav", record="vh-nosuchrecord")["Location"]
    session = UploadSession.objects.get()
    patch(client, url, data, 0)
    assert client.get(url).json()["phase"] == "hashing"
    finish(session.pk)
    result = client.get(url).json()
    assert result["phase"] == "failed" and "vh-nosuchrecord" in result["error"]
    assert result["asset"] is None and MediaAsset.objects.count() == 0


def test_size_limit_is_enforced_before_storing(client, officer, work_dirs, settings, no_tracebacks):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    client.force_login(officer)
    with data_unchanged():
        assert create(client, 1001, filename="big.mp4").status_code == 413
        assert UploadSession.objects.count() == 0
        url = create(client, 1000, filename="ok.mp4")["Location"]
        assert patch(client, url, b"x" * 600, 0).status_code == 204
        assert patch(client, url, b"x" * 600, 600).status_code == 413
    assert client.head(url, **TUS)["Upload-Offset"] == "600"


@pytest.mark.parametrize("damage", ["truncated", "random bytes"])
def test_a_corrupt_video_upload_ends_with_a_message(
    client, officer, work_dirs, tiny, django_capture_on_commit_callbacks, damage, no_tracebacks
):
    if damage == "truncated":
        data = tiny["truncated"].read_bytes()
    else:
        data = random.Random(5).randbytes(200_000)
    client.force_login(officer)
    url = create(client, len(data), filename="le-hoi.mp4", title="Lễ hội")["Location"]
    with data_unchanged(may_add=("assets",)), django_capture_on_commit_callbacks(execute=True):
        assert patch(client, url, data, 0).status_code == 204
    asset = client.get(url).json()["asset"]
    assert asset["state"] == "failed" and asset["job"]["state"] == "failed"
    assert asset["job"]["attempts"] == 1  # the file's fault: never retried
    # The officer's message, in the site language, not an exception's text.
    assert asset["error"].startswith("Tệp ") and asset["job"]["error"] == asset["error"]


def test_termination_and_protocol_errors(client, officer, work_dirs):
    client.force_login(officer)
    url = create(client, 10, filename="a.bin")["Location"]
    assert client.post(reverse("media_pipeline_admin:tus_upload")).status_code == 412
    assert client.generic("PATCH", url, b"x", content_type="text/plain", **TUS).status_code == 415
    assert client.delete(url, **TUS).status_code == 204
    assert client.head(url, **TUS).status_code == 404
    assert not list((work_dirs / "uploads").glob("*.part"))


def test_anonymous_cannot_upload(client):
    response = create(client, 10, filename="a.bin")
    assert response.status_code in (302, 403)
    assert UploadSession.objects.count() == 0


def test_upload_page_renders(client, officer):
    client.force_login(officer)
    response = client.get(reverse("media_pipeline_admin:upload"))
    assert response.status_code == 200
    assert b"media_pipeline/vendor/tus.min.js" in response.content


def test_uploads_finished_before_phases_existed_get_their_phase(officer, work_dirs):
    from django.apps import apps

    migration = importlib.import_module("media_pipeline.migrations.0004_upload_phase")
    asset = MediaAsset.objects.create(title="x", original_filename="x.wav", file="masters/x.wav")
    finished = UploadSession.objects.create(user=officer, length=1, offset=1, asset=asset)
    refused = UploadSession.objects.create(user=officer, length=1, offset=1, error="too large")
    receiving = UploadSession.objects.create(user=officer, length=9, offset=1)
    migration.phase_of_finished_uploads(apps, None)
    phases = dict(UploadSession.objects.values_list("pk", "phase"))
    assert phases == {finished.pk: "done", refused.pk: "failed", receiving.pk: "receiving"}
