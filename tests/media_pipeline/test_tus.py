"""The tus 1.0 server (core + creation + termination) through the test client."""

import base64

import pytest
from django.urls import reverse

from media_pipeline.models import MediaAsset, ProcessingState, UploadSession

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
    asset = MediaAsset.objects.get(pk=done["Media-Asset-Id"])
    assert asset.original_filename == "Hát then ở Bắc Kạn.wav"
    assert asset.title == "Hát then"
    with asset.file.open("rb") as fh:
        assert fh.read() == data
    assert asset.state == ProcessingState.READY
    result = client.get(url).json()
    assert result["asset"]["id"] == asset.pk and result["duplicate"] is False
    assert not list((work_dirs / "uploads").glob("*.part"))

    # The same bytes again: offered as the existing asset.
    again = create(client, len(data), filename="copy.wav")["Location"]
    response = patch(client, again, data, 0)
    assert response["Media-Asset-Id"] == str(asset.pk)
    assert response["Media-Asset-Duplicate"] == "1"


def test_size_limit_is_enforced_before_storing(client, officer, work_dirs, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    client.force_login(officer)
    assert create(client, 1001, filename="big.mp4").status_code == 413
    assert UploadSession.objects.count() == 0
    url = create(client, 1000, filename="ok.mp4")["Location"]
    assert patch(client, url, b"x" * 600, 0).status_code == 204
    assert patch(client, url, b"x" * 600, 600).status_code == 413
    assert client.head(url, **TUS)["Upload-Offset"] == "600"


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
