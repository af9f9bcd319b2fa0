"""The S3 path against a real S3 API server (moto in server mode on 127.0.0.1).

STORAGES is built from env vars at settings import, so here the test
overrides STORAGES with the same S3 OPTIONS base.py builds (Django's
setting_changed handler resets the ``storages`` cache) and points the
FileFields, whose storage object is resolved once at import, at the new
private storage for the duration of the test.
"""

import socket
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import TestCase

from heritage.settings.base import s3_storages
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption, MediaAsset, ProcessingState
from tests.media_pipeline.helpers import link_to_public_record

moto_server = pytest.importorskip("moto.server")
BUCKET = "heritage-test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    yield endpoint
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = s3_storages(BUCKET, s3_endpoint, "us-east-1")
    private = storages["private"]
    for model in (MediaAsset, Caption):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", private)
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix):
    return [
        o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    ]


@pytest.mark.django_db
def test_pipeline_on_s3_serves_signed_urls_only_when_visible(client, archive, s3, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["video"]).asset
    asset.refresh_from_db()
    assert asset.state == ProcessingState.READY, asset.error
    assert keys(s3, f"private/{asset.file.name}") == [f"private/{asset.file.name}"]
    stored = keys(s3, f"private/{asset.renditions_prefix}/")
    assert any(k.endswith("hls/master.m3u8") for k in stored)
    assert not keys(s3, "public/")  # nothing is ever public in the bucket

    mp4 = asset.renditions.get(kind="mp4")
    assert client.get(mp4.url).status_code == 404
    link_to_public_record(asset)
    response = client.get(mp4.url)
    assert response.status_code == 302
    signed = response["Location"]
    assert "X-Amz-Signature=" in signed or "Signature=" in signed
    assert "no-store" in response["Cache-Control"]
    with urllib.request.urlopen(signed, timeout=10) as remote:  # noqa: S310 - local moto
        assert remote.read(8)[4:8] == b"ftyp"
    unsigned = signed.split("?")[0]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 - private object

    # Playlists go through the view; their segments become signed URLs.
    variant = asset.renditions.filter(kind="hls_variant").first()
    text = client.get(variant.url).content.decode()
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert uris and all("Signature" in uri for uri in uris)
    assert 'URI="http' in text  # the init segment too

    MediaAsset.objects.filter(pk=asset.pk).update(access="restricted")
    assert client.get(mp4.url).status_code == 404
    assert client.get(variant.url).status_code == 404


@pytest.mark.django_db
def test_a_master_is_never_overwritten_on_s3(s3):
    storage = storages["private"]
    first = storage.save("masters/aa/x/same.bin", ContentFile(b"first"))
    second = storage.save("masters/aa/x/same.bin", ContentFile(b"second"))
    assert first != second
    with storage.open(first) as fh:
        assert fh.read() == b"first"
