"""Import template downloads, the report in the officers' terms, and sending drafts to review."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Page

from heritage.importing.values import EXPORT_COLUMNS
from heritage.models import ImportRun, RecordPage
from tests.factories import team_member
from tests.heritage.importgen import make_rows, write_csv
from tests.heritage.test_admin_translation import english_leftovers, visible_text


def _import(client, name, content, capture):
    with capture(execute=True):
        response = client.post(
            reverse("heritage_import:index"), {"file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ImportRun.objects.latest("pk"), response["Location"]


@pytest.mark.django_db
def test_xlsx_template_explains_every_column_and_its_example_imports(
    archive, client, django_capture_on_commit_callbacks
):
    client.force_login(team_member(archive["Lào Cai"], "editors", "lc-editor"))
    index = client.get(reverse("heritage_import:index")).content.decode()
    assert "Tải tệp mẫu (XLSX)" in index
    assert english_leftovers(visible_text(index)) == []

    response = client.get(reverse("heritage_import:template", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-khao-sat.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    records, guide = workbook.worksheets
    rows = list(records.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS and len(rows) == 2
    assert guide.title == "Hướng dẫn"
    explained = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True)}
    assert list(explained) == EXPORT_COLUMNS
    assert explained["ethnic_groups"][1:3] == ("Dân tộc", "có")
    assert "cách nhau bằng dấu ;" in explained["ethnic_groups"][3]
    assert explained["kind"][4] == "festival, custom"
    assert explained["access"][4] == "public, restricted"
    assert explained["lunar_month"][3] == "Số nguyên từ 1 đến 12."
    assert explained["title_en"][2] == "không"
    assert explained["ich_domain"][1] == "Loại hình theo UNESCO"
    assert explained["recorded_on"][5] == rows[1][EXPORT_COLUMNS.index("recorded_on")]

    run, _location = _import(
        client, "mau.xlsx", response.content, django_capture_on_commit_callbacks
    )
    assert (run.created_count, run.failed_count) == (1, 0), run.errors
    record = RecordPage.objects.get(record_id="vh-mau-0001", locale__language_code="vi")
    assert record.province.name_vi == "Lào Cai" and not record.live


@pytest.mark.django_db
def test_csv_template_has_a_bom_and_its_example_imports_in_the_officers_province(
    archive, client, django_capture_on_commit_callbacks
):
    client.force_login(team_member(archive["Gia Lai"], "editors", "gl-editor"))
    response = client.get(reverse("heritage_import:template", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    header, example = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header == EXPORT_COLUMNS
    assert dict(zip(header, example, strict=True))["province"] == "Gia Lai"

    run, _location = _import(
        client, "mau.csv", response.content, django_capture_on_commit_callbacks
    )
    assert (run.created_count, run.failed_count) == (1, 0), run.errors


def _import_three_rows_one_bad(client, tmp_path, capture):
    rows = make_rows(3, ["Lào Cai"])
    rows[1]["ethnic_groups"] = "Người Sao Hỏa"
    content = write_csv(tmp_path / "khao-sat.csv", rows).read_bytes()
    return (*_import(client, "khao-sat.csv", content, capture), rows)


def _vi_pages(rows):
    return Page.objects.filter(
        recordpage__record_id__in=[row["record_id"] for row in rows], locale__language_code="vi"
    )


@pytest.mark.django_db
def test_report_names_columns_links_records_and_sends_them_to_review(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(team_member(archive["Lào Cai"], "editors", "lc-editor"))
    run, location, rows = _import_three_rows_one_bad(
        client, tmp_path, django_capture_on_commit_callbacks
    )
    report = client.get(location).content.decode()
    assert "Dân tộc <code>ethnic_groups</code>" in report
    created = list(_vi_pages([rows[0], rows[2]]))
    assert len(created) == 2
    for page in created:
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in report
    assert "Gửi duyệt tất cả bản nháp đã nhập" in report
    assert english_leftovers(visible_text(report)) == []

    response = client.post(reverse("heritage_import:submit", args=[run.pk]), follow=True)
    assert "Đã gửi duyệt 2 hồ sơ. Kèm 2 bản dịch." in response.content.decode()
    assert all(page.workflow_in_progress for page in _vi_pages(rows))
    translations = Page.objects.filter(
        translation_key__in=[page.translation_key for page in created]
    ).exclude(pk__in=[page.pk for page in created])
    assert [page.locale.language_code for page in translations] == ["en", "en"]
    assert all(page.workflow_in_progress for page in translations)
    assert "Gửi duyệt tất cả bản nháp đã nhập" not in response.content.decode()


@pytest.mark.django_db
def test_a_draft_already_in_review_is_named_in_the_summary(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    editor = team_member(archive["Lào Cai"], "editors", "lc-editor")
    client.force_login(editor)
    run, _location, rows = _import_three_rows_one_bad(
        client, tmp_path, django_capture_on_commit_callbacks
    )
    first = _vi_pages([rows[0]]).get().specific
    first.get_workflow().start(first, editor)

    response = client.post(reverse("heritage_import:submit", args=[run.pk]), follow=True)
    message = response.content.decode()
    assert "Đã gửi duyệt 1 hồ sơ. Kèm 1 bản dịch. 1 hồ sơ không gửi được:" in message
    assert f"{first.title} (hồ sơ đang chờ duyệt)" in message


@pytest.mark.django_db
def test_another_provinces_officer_may_not_send_the_runs_drafts(
    archive, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(team_member(archive["Lào Cai"], "editors", "lc-editor"))
    run, _location, rows = _import_three_rows_one_bad(
        client, tmp_path, django_capture_on_commit_callbacks
    )
    client.force_login(team_member(archive["Gia Lai"], "editors", "gl-editor"))
    response = client.post(reverse("heritage_import:submit", args=[run.pk]))
    assert response.status_code == 404
    assert not any(page.workflow_in_progress for page in _vi_pages(rows))


@pytest.mark.django_db
def test_run_page_shows_progress_while_the_import_runs(archive, client):
    editor = team_member(archive["Lào Cai"], "editors", "lc-editor")
    client.force_login(editor)
    run = ImportRun.objects.create(
        original_filename="khao-sat.xlsx",
        status=ImportRun.Status.RUNNING,
        total_rows=10,
        processed_rows=4,
        created_by=editor,
    )
    page = client.get(reverse("heritage_import:detail", args=[run.pk])).content.decode()
    assert '<progress id="import-progress" max="100" value="40">' in page
    assert "Đã xử lý 4/10 dòng." in page and 'http-equiv="refresh"' in page
    assert "Gửi duyệt tất cả bản nháp đã nhập" not in page
    status = client.get(reverse("heritage_import:status", args=[run.pk])).json()
    assert (status["percent"], status["finished"]) == (40, False)
