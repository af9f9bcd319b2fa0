"""The import in the Wagtail admin: upload, background task, progress and report."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from heritage.models import ImportRun, RecordPage
from tests.heritage.importgen import make_rows, write_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _upload(client, path, **options):
    with open(path, "rb") as stream:
        data = {"file": SimpleUploadedFile(path.name, stream.read(), "text/csv"), **options}
    return client.post(reverse("heritage_import:index"), data)


def _officer(team, *, reviewer=False):
    user = get_user_model().objects.create_user("can_bo", password="x")
    user.groups.add(team.reviewers if reviewer else team.editors)
    return user


@pytest.mark.django_db
def test_officer_imports_through_the_admin(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(_officer(archive["Lào Cai"], reviewer=True))
    page = client.get(reverse("heritage_import:index"))
    assert page.status_code == 200 and b'name="publish"' in page.content
    rows = make_rows(4, ["Lào Cai"])
    rows[1]["lunar_day"] = "31"
    rows[2]["province"] = "Gia Lai"  # another team's province
    sheet = write_csv(tmp_path / "khao-sat.csv", rows)

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, sheet, publish="on")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("heritage_import:detail", args=[run.pk])
    assert run.status == ImportRun.Status.DONE and run.publish
    assert (run.created_count, run.failed_count, run.total_rows) == (2, 2, 4)

    report = client.get(response["Location"]).content.decode()
    counts = re.search(r'<ul id="import-counts">(.*?)</ul>', report, re.S).group(1)
    assert re.findall(r":\s*(\d+)</li>", counts) == ["2", "0", "0", "2"]
    errors = {error["row"]: error for error in run.errors}
    assert errors[3]["column"] == "lunar_day" and errors[4]["column"] == "province"
    assert "Gia Lai" in errors[4]["reason"]
    for error in errors.values():  # the table shows row, column and reason
        assert f"<td>{error['row']}</td>" in report and escape(error["reason"]) in report
    assert 'http-equiv="refresh"' not in report
    status = client.get(reverse("heritage_import:status", args=[run.pk])).json()
    assert status["finished"] and status["counts"]["created"] == 2
    assert RecordPage.objects.filter(record_id=rows[0]["record_id"], live=True).exists()
    assert not RecordPage.objects.filter(record_id=rows[2]["record_id"]).exists()


@pytest.mark.django_db
def test_editor_cannot_publish_and_others_cannot_see_runs(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    editor = _officer(archive["Lào Cai"])
    client.force_login(editor)
    assert b'name="publish"' not in client.get(reverse("heritage_import:index")).content
    sheet = write_csv(tmp_path / "s.csv", make_rows(2, ["Lào Cai"]))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, sheet, publish="on", dry_run="")
    run = ImportRun.objects.get()
    assert not run.publish and run.created_count == 2
    assert not RecordPage.objects.filter(record_id__startswith="vh-test", live=True).exists()

    other = get_user_model().objects.create_user("khac", password="x")
    other.groups.add(archive["Gia Lai"].editors)
    client.force_login(other)
    assert client.get(reverse("heritage_import:detail", args=[run.pk])).status_code == 404
    visitor = get_user_model().objects.create_user("khach", password="x")
    client.force_login(visitor)
    assert client.get(reverse("heritage_import:index")).status_code in (302, 403)


@pytest.mark.django_db
def test_dry_run_in_the_admin_saves_nothing(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    sheet = write_csv(tmp_path / "s.csv", make_rows(3, ["Gia Lai"]))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, sheet, dry_run="on")
    run = ImportRun.objects.get()
    assert run.dry_run and run.created_count == 3
    assert not RecordPage.objects.filter(record_id__startswith="vh-test").exists()
    detail = client.get(reverse("heritage_import:detail", args=[run.pk]))
    assert detail.status_code == 200 and 'id="import-counts"' in detail.content.decode()
