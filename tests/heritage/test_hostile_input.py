"""Hostile input through the import and the export: a clear error, no traceback, no other change.

Every test here that feeds hostile input runs under ``no_tracebacks`` (tests/conftest.py)
and, where it writes, inside ``data_unchanged`` (tests/guards.py).
"""

import csv
import io
import json
import random
import shutil
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import Page

from heritage.importing import RecordImporter, SheetError, import_file, read_sheet
from heritage.importing.reader import MAX_COLUMNS, MAX_ROWS
from heritage.importing.values import COLUMNS, EXPORT_COLUMNS, body_to_description
from heritage.models import ImportRun, RecordPage
from heritage.rich_text import clean_rich_text
from tests.factories import make_record
from tests.guards import data_unchanged
from tests.heritage.importgen import make_rows, write_csv, write_xlsx

PROVINCES = ["Tuyên Quang", "Lào Cai"]
HOSTILE_BODY = [
    {
        "type": "paragraph",
        "value": (
            '<p>Lễ hội <b>đậm</b><script>alert("x")</script>'
            '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">bấm</a>'
            ' <a href="https://example.org/" onclick="alert(3)">nguồn</a></p>'
            '<iframe src="https://evil.example/"></iframe>'
        ),
    }
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _assert_harmless(html):
    # The page's one script element is JSON-LD, which never runs; what it holds is checked.
    lowered = html.lower().replace('<script type="application/ld+json">', "", 1)
    for marker in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img"):
        assert marker not in lowered, marker


@pytest.mark.django_db
def test_hostile_rich_text_is_stored_and_shown_only_as_wagtail_allows(
    archive, tmp_path, client, no_tracebacks
):
    rows = make_rows(1, PROVINCES)
    rows[0]["access"] = "public"
    rows[0]["body_json"] = json.dumps(HOSTILE_BODY)
    rows[0]["body_json_en"] = json.dumps(HOSTILE_BODY)
    # The description the export writes beside a body, so body_json is the one taken.
    rows[0]["description_vi"] = rows[0]["description_en"] = body_to_description(HOSTILE_BODY)
    with data_unchanged(may_add=("pages", "records")):
        result = import_file(write_csv(tmp_path / "in.csv", rows, EXPORT_COLUMNS), publish=True)
    assert result.counts["created"] == 1, result.errors

    for page in RecordPage.objects.filter(record_id=rows[0]["record_id"]):
        stored = page.specific.body.raw_data[0]["value"]
        _assert_harmless(stored)
        # What the editor allows survives.
        assert "<b>đậm</b>" in stored
        assert '<a href="https://example.org/">nguồn</a>' in stored
        response = client.get(page.url)
        assert response.status_code == 200
        _assert_harmless(response.content.decode())


FORMULAS = {
    "title_vi": '=HYPERLINK("https://evil.example/","Lễ hội")',
    "native_name": "@SUM(1+1)",
    "summary_vi": "+84 912 345 678",
    "locality": "-2+3",
}


def _exported_cells(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_round_trips(archive, tmp_path, suffix, no_tracebacks):
    rows = make_rows(2, PROVINCES)
    rows[0].update(FORMULAS)
    assert import_file(write_csv(tmp_path / "in.csv", rows)).counts["created"] == 2

    out = tmp_path / f"out.{suffix}"
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    exported = {row["record_id"]: row for row in _exported_cells(out)}[rows[0]["record_id"]]
    for column, text in FORMULAS.items():
        assert exported[column] == "'" + text  # shown as text, never evaluated
    if suffix == "xlsx":
        workbook = load_workbook(out)  # not read-only: cell types are known
        assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)

    with data_unchanged():
        result = import_file(out)
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    assert page.title == FORMULAS["title_vi"]
    assert page.specific.native_name == FORMULAS["native_name"]


def _failures(result):
    return {(error["row"], error["column"]) for error in result.errors()}


@pytest.mark.django_db
def test_control_characters_and_bad_record_ids_are_row_errors(archive, tmp_path, no_tracebacks):
    rows = make_rows(6, PROVINCES)
    for row in rows:
        row["access"] = "public"
    rows[0]["title_vi"] = "Lễ hội\x00Lồng Tồng"
    rows[1]["locality"] = "Bản\x1bNà Hang"
    rows[2]["record_id"] = "../../etc/passwd"
    rows[3]["record_id"] = "VH/Upper"
    rows[4]["description_vi"] = "Dòng một\n\tthụt lề\r\ndòng hai"  # tabs and breaks belong here
    sheet = write_csv(tmp_path / "in.csv", rows)
    with data_unchanged(may_add=("pages", "records")):
        result = import_file(sheet, publish=True)

    assert result.counts["failed"] == 4
    assert _failures(result) == {
        (2, "title_vi"),
        (3, "locality"),
        (4, "record_id"),
        (5, "record_id"),
    }
    # The two good rows, each in Vietnamese and English.
    assert RecordPage.objects.filter(record_id__in=[r["record_id"] for r in rows]).count() == 4
    assert not any("\x00" in title for title in RecordPage.objects.values_list("title", flat=True))

    out = tmp_path / "out.xlsx"  # openpyxl refuses control characters: nothing stored has one
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    assert len(_exported_cells(out)) == 2


def _random_bytes_xlsx(path):
    path.write_bytes(random.Random(9).randbytes(20_000))
    return path


def _zip_bomb_xlsx(path):
    """A real workbook plus one member that unpacks 1000 times its packed size."""
    write_xlsx(path, make_rows(1, PROVINCES))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    return path


def _gigabyte_xlsx(path):
    """A real workbook plus one member that really inflates to a gigabyte of zeros."""
    write_xlsx(path, make_rows(1, PROVINCES))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as member,
    ):
        megabyte = bytes(1024 * 1024)
        for _megabyte in range(1024):
            member.write(megabyte)
    return path


def _too_large_xlsx(path):
    """A workbook that unpacks past 50 MB without any high compression."""
    write_xlsx(path, make_rows(1, PROVINCES))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", random.Random(3).randbytes(51 * 1024 * 1024))
    return path


def _too_wide_xlsx(path):
    rows = make_rows(2, PROVINCES)
    extra = [f"extra_{number}" for number in range(MAX_COLUMNS)]
    for row in rows:
        row.update(dict.fromkeys(extra, "x"))
    return write_xlsx(path, rows, COLUMNS + extra)


def _truncated_xlsx(path):
    write_xlsx(path, make_rows(3, PROVINCES))
    path.write_bytes(path.read_bytes()[:-400])  # the zip's directory is cut off
    return path


# Each damaged workbook, the words of its error and of the error's Vietnamese translation.
DAMAGED_XLSX = [
    (_random_bytes_xlsx, "not an XLSX file", "Đây không phải tệp XLSX"),
    (_truncated_xlsx, "not an XLSX file", "Đây không phải tệp XLSX"),
    (_zip_bomb_xlsx, "compressed more than 100 to 1", "Tệp XLSX bị nén hơn 100 lần"),
    (_gigabyte_xlsx, "unpacks to more than 50 MB", "Tệp XLSX khi giải nén lớn hơn 50 MB"),
    (_too_large_xlsx, "unpacks to more than 50 MB", "Tệp XLSX khi giải nén lớn hơn 50 MB"),
    (_too_wide_xlsx, "more than 200 columns", "Bảng tính có hơn 200 cột"),
]
DAMAGED_IDS = [make.__name__.strip("_") for make, _words, _vi in DAMAGED_XLSX]


@pytest.mark.parametrize(("make", "words", "vi"), DAMAGED_XLSX, ids=DAMAGED_IDS)
def test_unsafe_or_damaged_xlsx_is_a_sheet_error(tmp_path, make, words, vi, no_tracebacks):
    with pytest.raises(SheetError, match=words):
        read_sheet(make(tmp_path / "khao-sat.xlsx"))


def test_more_than_20000_rows_is_a_sheet_error(tmp_path):
    rows = [{"record_id": f"vh-{number}", "kind": "festival"} for number in range(MAX_ROWS + 1)]
    sheet = write_csv(tmp_path / "big.csv", rows)
    with pytest.raises(SheetError, match="more than 20,000 rows"):
        read_sheet(sheet)
    rows.pop()
    assert len(read_sheet(write_csv(sheet, rows))) == MAX_ROWS


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "words", "vi"), DAMAGED_XLSX, ids=DAMAGED_IDS)
def test_damaged_xlsx_is_a_clear_error_in_the_command(
    archive, tmp_path, make, words, vi, no_tracebacks
):
    sheet = make(tmp_path / "khao-sat.xlsx")
    with data_unchanged(), pytest.raises(CommandError, match=words):
        call_command("import_records", str(sheet), stdout=io.StringIO(), stderr=io.StringIO())


def _officer(team):
    user = get_user_model().objects.create_user("can_bo", password="x")
    user.groups.add(team.reviewers)
    return user


def _upload(client, path):
    with open(path, "rb") as stream:
        data = {"file": SimpleUploadedFile(path.name, stream.read(), "application/octet-stream")}
    return client.post(reverse("heritage_import:index"), data)


@pytest.mark.django_db
def test_a_sheet_over_50_mb_is_refused_by_the_admin_form(archive, client, tmp_path, no_tracebacks):
    sheet = _too_large_xlsx(tmp_path / "khao-sat.xlsx")
    client.force_login(_officer(archive["Lào Cai"]))
    with data_unchanged():
        response = _upload(client, sheet)
    assert response.status_code == 200
    assert "Tệp lớn hơn 50 MB." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "words", "vi"),
    # One over 50 MB never reaches a run: the form refuses it (the test above).
    [damaged for damaged in DAMAGED_XLSX if damaged[0] is not _too_large_xlsx],
    ids=[name for name in DAMAGED_IDS if name != "too_large_xlsx"],
)
def test_damaged_xlsx_fails_the_admin_run_with_its_reason(
    archive, client, tmp_path, django_capture_on_commit_callbacks, make, words, vi, no_tracebacks
):
    make_record("Lễ hội Lồng Tồng", province="Lào Cai")  # other data the run must not touch
    sheet = make(tmp_path / "khao-sat.xlsx")
    client.force_login(_officer(archive["Lào Cai"]))
    with data_unchanged(may_add=("import_runs",)), django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, sheet)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    # The run speaks the officer's language (Vietnamese, the site's default).
    assert vi in run.error_message


@pytest.mark.django_db
def test_any_error_in_an_admin_run_fails_it_and_logs_the_traceback(
    archive, client, tmp_path, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken_run(self, rows):
        raise RuntimeError("disk on fire")

    # Fault injection: no real input makes the importer itself crash (that is the point).
    monkeypatch.setattr(RecordImporter, "run", broken_run)
    client.force_login(_officer(archive["Lào Cai"]))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, write_csv(tmp_path / "khao-sat.csv", make_rows(2, ["Lào Cai"])))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and run.finished_at is not None
    assert "disk on fire" in run.error_message
    assert any(
        record.exc_info and "disk on fire" in str(record.exc_info[1]) for record in caplog.records
    )


@pytest.mark.django_db
def test_clean_rich_text_keeps_what_the_editor_allows(archive):
    page = Page.objects.filter(depth=2).first()
    allowed = (
        f'<p><a linktype="page" id="{page.pk}">trang</a> &lt;bản&gt; &amp; <i>x</i><br/>y</p>'
        "<h2>Tiêu đề</h2><ul><li>một</li></ul><blockquote>trích</blockquote>"
    )
    assert clean_rich_text(allowed) == allowed
    assert clean_rich_text(f'<p><a linktype="page" id="{page.pk}" onclick="x">t</a></p>') in {
        f'<p><a id="{page.pk}" linktype="page">t</a></p>',
        f'<p><a linktype="page" id="{page.pk}">t</a></p>',
    }


def _truncated_video(path, tiny):
    shutil.copyfile(tiny["truncated"], path)


def _random_bytes_video(path, tiny):
    path.write_bytes(random.Random(5).randbytes(200_000))


@pytest.mark.django_db
@pytest.mark.parametrize("damage", [_truncated_video, _random_bytes_video])
def test_a_corrupt_video_in_an_import_fails_with_a_message(
    archive, tmp_path, tiny, work_dirs, django_capture_on_commit_callbacks, damage, no_tracebacks
):
    media = tmp_path / "media"
    media.mkdir()
    damage(media / "le-hoi.mp4", tiny)
    rows = make_rows(1, PROVINCES)
    rows[0]["media"] = "le-hoi.mp4"
    with data_unchanged(), django_capture_on_commit_callbacks(execute=True):
        result = import_file(write_csv(tmp_path / "khao-sat.csv", rows), media_dir=media)
    assert result.counts["failed"] == 1
    (error,) = result.errors()
    assert error["column"] == "media"
    assert error["reason"].startswith("le-hoi.mp4 is not media the archive accepts: ")
