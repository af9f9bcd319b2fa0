"""The whole pipeline with the real ffmpeg: ingest -> job -> renditions -> checked serving."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import TestCase

from heritage.access import Access
from media_pipeline.ingest import ingest_file, sanitise_filename
from media_pipeline.models import JobState, MediaAsset, ProcessingState
from media_pipeline.storage import private_storage
from tests.media_pipeline.helpers import link_to_public_record, storage_files_of

pytestmark = pytest.mark.django_db


def ingest(path, **kwargs):
    """Ingest and run the job as a worker would, right after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = ingest_file(path, **kwargs)
    result.asset.refresh_from_db()
    return result


def test_video_goes_through_the_whole_pipeline(client, archive, work_dirs, tiny, officer):
    result = ingest(tiny["video"], title="Múa xòe")
    asset = result.asset
    assert result.job.pk and not result.duplicate
    result.job.refresh_from_db()
    assert result.job.state == JobState.SUCCEEDED, result.job.error
    assert asset.state == ProcessingState.READY
    assert asset.media_type == "video"
    assert asset.probe["width"] == 320 and asset.probe["height"] == 180
    assert asset.probe["audio_channels"] == 1
    names = set(asset.renditions.values_list("name", flat=True))
    assert {"hls", "poster", "thumbnails", "audio-aac"} <= names
    assert any(n.startswith("mp4-") for n in names)
    stored = storage_files_of(asset)
    for rendition in asset.renditions.all():
        for rel in rendition.files:
            assert f"{asset.renditions_prefix}/{rel}" in stored
    # Not linked to any record: nobody outside the office may fetch it.
    hls = asset.rendition("hls")
    assert client.get(hls.url).status_code == 404
    client.force_login(officer)
    response = client.get(hls.url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    client.logout()

    link_to_public_record(asset)
    response = client.get(hls.url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    master_playlist = response.content.decode()
    variant = next(line for line in master_playlist.splitlines() if line.endswith(".m3u8"))
    variant_url = hls.url.rsplit("/", 1)[0] + "/" + variant
    variant_text = client.get(variant_url).content.decode()
    segment = next(line for line in variant_text.splitlines() if line.endswith(".m4s"))
    segment_url = variant_url.rsplit("/", 1)[0] + "/" + segment
    assert client.get(segment_url).status_code == 200
    mp4 = asset.renditions.get(kind="mp4")
    ranged = client.get(mp4.url, HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206 and ranged["Content-Length"] == "100"
    # Guessing a file that is not a rendition, or the master, gets nothing.
    assert client.get(asset.file_url("../../masters")).status_code == 404
    assert client.get(asset.file_url("master")).status_code == 404

    MediaAsset.objects.filter(pk=asset.pk).update(access=Access.RESTRICTED)
    assert client.get(hls.url).status_code == 404
    assert client.get(segment_url).status_code == 404


def test_audio_and_duplicate(archive, work_dirs, tiny):
    first = ingest(tiny["wav"], title="Hát then")
    assert first.asset.state == ProcessingState.READY, first.asset.error
    assert first.asset.media_type == "audio"
    assert {"audio-aac", "audio-opus", "waveform"} <= set(
        first.asset.renditions.values_list("name", flat=True)
    )
    again = ingest(tiny["wav"], title="Hát then (copy)")
    assert again.duplicate and again.asset.pk == first.asset.pk and again.job is None
    assert MediaAsset.objects.count() == 1


def test_type_is_decided_by_content_not_name(work_dirs, tiny, tmp_path):
    disguised = tmp_path / "photo.jpg"
    disguised.write_bytes(tiny["wav"].read_bytes())
    asset = ingest(disguised).asset
    assert asset.media_type == "audio"
    pdf = tmp_path / "report.mp4"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    asset = ingest(pdf).asset
    assert asset.media_type == "document" and asset.state == ProcessingState.READY
    document = asset.rendition("document")
    assert document.mime_type == "application/pdf" and document.path == "document.pdf"


@pytest.mark.parametrize(
    "make",
    [
        lambda d, tiny: (d / "empty.mp4", b""),
        lambda d, tiny: (d / "truncated.mp4", tiny["truncated"].read_bytes()),
        lambda d, tiny: (
            d / "holiday.mp4",
            b"#EXTM3U\n#EXTINF:3.0,\n/etc/passwd\n#EXT-X-ENDLIST\n",
        ),
        lambda d, tiny: (d / "festival.mp4", b"ffconcat version 1.0\nfile '/etc/passwd'\n"),
    ],
    ids=["zero-byte", "no-moov", "playlist", "concat"],
)
def test_bad_video_inputs_fail_clearly_and_keep_the_master(make, work_dirs, tiny, tmp_path):
    path, data = make(tmp_path, tiny)
    path.write_bytes(data)
    result = ingest(path)
    asset = result.asset
    result.job.refresh_from_db()
    assert asset.state == ProcessingState.FAILED
    assert result.job.state == JobState.FAILED and result.job.attempts == 1
    assert asset.error and "Traceback" not in asset.error
    assert asset.renditions.count() == 0
    with asset.file.open("rb") as fh:
        assert fh.read() == data


def test_unsafe_and_vietnamese_names(work_dirs, tiny, tmp_path):
    src = tmp_path / "x.wav"
    src.write_bytes(tiny["wav"].read_bytes())
    asset = ingest(src, original_filename="../../etc/Lễ hội Đền Hùng (2024).WAV").asset
    assert asset.original_filename == "Lễ hội Đền Hùng (2024).WAV"
    assert asset.file.name.endswith("/le_hoi_den_hung_2024.wav")
    assert ".." not in asset.file.name
    assert sanitise_filename("..\\..\\boot.ini") == "boot.ini"
    assert sanitise_filename("...") == "master"


def test_a_master_is_never_overwritten(db):
    storage = private_storage()
    first = storage.save("masters/test/same.bin", ContentFile(b"first"))
    second = storage.save("masters/test/same.bin", ContentFile(b"second"))
    assert first != second
    with storage.open(first) as fh:
        assert fh.read() == b"first"
    storage.delete(first)
    storage.delete(second)


def test_visible_to_is_the_only_rule(archive, work_dirs, tiny):
    asset = ingest(tiny["wav"]).asset
    assert not MediaAsset.objects.visible_to(AnonymousUser()).filter(pk=asset.pk).exists()
    link_to_public_record(asset)
    assert MediaAsset.objects.visible_to(AnonymousUser()).filter(pk=asset.pk).exists()
