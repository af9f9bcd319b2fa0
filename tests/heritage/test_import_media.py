"""A field survey with video, audio and a photo reaches visitors through either import.

The sheet is imported through ``import_records --media-dir`` and through the
admin as a .zip; the real ``db_worker`` then processes what the import queued.
"""

import io
import re
import stat
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image
from wagtail.users.models import UserProfile

from heritage.importing import import_file
from heritage.importing.bundle import BundleError, unpacked
from heritage.models import ImportRun, RecordPage
from media_pipeline.models import JobState, MediaAsset, ProcessingState, TranscodeJob
from tests.heritage.importgen import make_rows, write_csv
from tests.media_pipeline import mediagen

pytestmark = pytest.mark.django_db
MEDIA = {"video": "video/le-hoi.mp4", "audio": "am-thanh.wav", "image": "anh/nem-con.jpg"}


@pytest.fixture(scope="module")
def survey_media(tmp_path_factory):
    """A field survey's files: a short video with sound, a recording and a photo."""
    folder = tmp_path_factory.mktemp("survey")
    (folder / "video").mkdir()
    (folder / "anh").mkdir()
    mediagen.video(folder / "video", "le-hoi.mp4", size="320x180", duration=1)
    mediagen.tone_wav(folder, "am-thanh.wav", -12.0)
    Image.effect_noise((640, 480), 50).convert("RGB").save(folder / "anh" / "nem-con.jpg")
    return folder


def english_admin(user):
    """The admin speaks English to this user (the messages checked below are English)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])


def survey_sheet(folder, name="khao-sat.csv"):
    row = make_rows(1, ["Lào Cai"])[0]
    row.update(access="public", media=";".join(MEDIA.values()))
    return write_csv(folder / name, [row]), row


def survey_zip(sheet, media_folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(sheet, sheet.name)
        for name in MEDIA.values():
            archive.write(media_folder / name, name)
    return buffer.getvalue()


def import_by_command(tmp_path, survey_media, client, task_queue):
    sheet, row = survey_sheet(tmp_path)
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(
            "import_records", str(sheet), "--media-dir", str(survey_media), "--publish",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    return row


def import_by_admin(tmp_path, survey_media, client, archive, task_queue):
    sheet, row = survey_sheet(tmp_path)
    officer = get_user_model().objects.create_user("can_bo", password="x")
    officer.groups.add(archive["Lào Cai"].reviewers)
    client.force_login(officer)
    upload = SimpleUploadedFile("khao-sat.zip", survey_zip(sheet, survey_media), "application/zip")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("heritage_import:index"), {"file": upload, "publish": "on"})
    assert response.status_code == 302, response.content
    assert ImportRun.objects.get().status == ImportRun.Status.PENDING  # queued, not yet run
    task_queue.work_once()  # the import itself, which queues the processing jobs
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.error_message
    assert (run.created_count, run.failed_count) == (1, 0), run.errors
    client.logout()
    return row


@pytest.mark.slow
@pytest.mark.parametrize("way", ["command", "admin"])
def test_survey_media_are_processed_and_shown_on_the_record(
    way, archive, client, task_queue, survey_media, tmp_path, settings
):
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    if way == "command":
        row = import_by_command(tmp_path, survey_media, client, task_queue)
    else:
        row = import_by_admin(tmp_path, survey_media, client, archive, task_queue)

    assets = {asset.media_type: asset for asset in MediaAsset.objects.all()}
    assert set(assets) == set(MEDIA)
    jobs = TranscodeJob.objects.filter(asset__in=assets.values())
    assert jobs.count() == 3 and all(job.state == JobState.QUEUED for job in jobs)
    assert all(asset.state == ProcessingState.PENDING for asset in assets.values())

    task_queue.run_until_empty()

    for media_type, asset in assets.items():
        asset.refresh_from_db()
        assert asset.state == ProcessingState.READY, (media_type, asset.error)
        assert asset.renditions.exists()
        assert asset.original_filename == MEDIA[media_type].rsplit("/", 1)[-1]
        assert asset.recorded_by == row["recorded_by"]
    page = RecordPage.objects.get(record_id=row["record_id"], locale__language_code="vi")
    assert page.live
    html = client.get(page.url).content.decode()
    tags = {tag: re.search(rf"<{tag}\b[^>]*>", html) for tag in ("video", "audio", "img")}
    assert all(tags.values()), "the record page lacks one of its media"
    urls = set(re.findall(r'(?:src|srcset|poster)="(/files/[^"\s]+)', html))
    for media_type, asset in assets.items():
        prefix = f"/files/{asset.token}/"
        assert any(url.startswith(prefix) for url in urls), f"no {media_type} file on the page"
    for url in urls:
        assert client.get(url).status_code == 200, url

    with translation.override("vi"):
        search = client.get("/api/search/", {"q": row["title_vi"]}).json()
    facet = {item["value"]: item["count"] for item in search["facets"]["media_type"]}
    assert facet.get("video") == 1 and facet.get("audio") == 1
    found = client.get("/api/search/", {"q": row["title_vi"], "media": "video"}).json()
    assert [hit["record_id"] for hit in found["results"]] == [row["record_id"]]


def test_a_row_naming_a_file_that_is_not_media_fails_with_the_pipelines_reason(archive, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "playlist.mp4").write_text("#EXTM3U\nhttp://example.org/x.ts\n")
    rows = make_rows(2, ["Lào Cai"])
    rows[1]["media"] = "playlist.mp4"
    with translation.override("en"):
        result = import_file(write_csv(tmp_path / "s.csv", rows), media_dir=media)
    assert result.counts["failed"] == 1
    (error,) = result.errors()
    assert error["column"] == "media" and "playlist.mp4" in error["reason"]
    assert "not media the archive accepts" in error["reason"]
    assert MediaAsset.objects.count() == 0


def test_the_imports_files_get_processing_jobs_and_repeats_reuse_the_asset(
    archive, tmp_path, survey_media, django_capture_on_commit_callbacks
):
    rows = make_rows(3, ["Lào Cai"])
    rows[1]["media"] = MEDIA["image"]
    rows[2]["media"] = MEDIA["image"]  # the same photo again: one asset
    with django_capture_on_commit_callbacks(execute=False) as delivered:
        import_file(write_csv(tmp_path / "s.csv", rows), media_dir=survey_media)
    asset = MediaAsset.objects.get()
    assert asset.jobs.get().state == JobState.QUEUED
    assert len(delivered) >= 1  # delivered to the queue once the rows committed
    assert asset.media_type == "image" and asset.recorded_by == rows[1]["recorded_by"]


# --- the .zip ---------------------------------------------------------------


def _zip(members, *, symlink=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _post_zip(client, archive, data):
    officer = get_user_model().objects.create_user("can_bo", password="x")
    officer.groups.add(archive["Lào Cai"].editors)
    english_admin(officer)
    client.force_login(officer)
    upload = SimpleUploadedFile("khao-sat.zip", data, "application/zip")
    return client.post(reverse("heritage_import:index"), {"file": upload})


@pytest.mark.parametrize(
    ("members", "symlink", "reason"),
    [
        ({"notes.txt": "x"}, None, "holds no sheet"),
        ({"a.csv": "x", "b/c.xlsx": "y"}, None, "more than one sheet"),
        ({"a.csv": "x", "../evil.jpg": "y"}, None, "outside itself"),
        ({"a.csv": "x", "/etc/evil.jpg": "y"}, None, "outside itself"),
        ({"a.csv": "x"}, "photo.jpg", "symbolic link"),
    ],
)
def test_a_bad_zip_is_refused_on_the_form_and_nothing_is_written(
    client, archive, members, symlink, reason
):
    response = _post_zip(client, archive, _zip(members, symlink=symlink))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_corrupt_zip_is_refused(client, archive):
    response = _post_zip(client, archive, b"PK\x03\x04 this is not really a zip")
    assert response.status_code == 200 and "damaged" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_zip_over_the_limit_is_refused(client, archive, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 10_000
    data = _zip({"a.csv": "x", "big.wav": b"\0" * 20_000})  # compresses to far less
    assert len(data) < 10_000
    response = _post_zip(client, archive, data)
    assert "more than the limit" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_unpacking_stops_at_a_member_larger_than_it_declares(tmp_path):
    path = tmp_path / "bomb.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", b"\0" * 50_000)  # first: its headers come first
        archive.writestr("a.csv", "x")
    raw = bytearray(buffer.getvalue())
    # Declare 100 bytes in the local and the central header, as a crafted bomb would.
    central = raw.find(b"PK\x01\x02")
    for size_at in (22, central + 24):
        raw[size_at : size_at + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("big.bin").file_size == 100
    with pytest.raises(BundleError), unpacked(path, tmp_path):
        pass
    assert not list(tmp_path.glob("import-bundle-*"))


def test_a_zip_damaged_inside_fails_the_run_before_any_row_is_written(
    client, archive, tmp_path, survey_media, django_capture_on_commit_callbacks
):
    sheet, _row = survey_sheet(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        bundle.write(sheet, sheet.name)
        bundle.writestr(MEDIA["image"], b"\xff\xd8" + b"photo bytes" * 100)
    raw = bytearray(buffer.getvalue())
    raw[raw.find(b"photo bytes") + 5] ^= 0xFF  # the directory is intact, the CRC is not
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_zip(client, archive, bytes(raw))
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "CRC" in run.error_message
    assert not RecordPage.objects.filter(record_id=_row["record_id"]).exists()
    assert MediaAsset.objects.count() == 0
