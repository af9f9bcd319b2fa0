"""Hostile input through the import, the export and the request parameters."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from heritage.importing import import_file
from heritage.importing.values import EXPORT_COLUMNS, body_to_description
from heritage.models import RecordPage
from tests.heritage.importgen import make_rows, write_csv

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
    lowered = html.lower()
    for marker in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img"):
        assert marker not in lowered, marker


@pytest.mark.django_db
def test_hostile_rich_text_is_stored_and_shown_only_as_wagtail_allows(archive, tmp_path, client):
    rows = make_rows(1, PROVINCES)
    rows[0]["access"] = "public"
    rows[0]["body_json"] = json.dumps(HOSTILE_BODY)
    rows[0]["body_json_en"] = json.dumps(HOSTILE_BODY)
    # The description the export writes beside a body, so body_json is the one taken.
    rows[0]["description_vi"] = rows[0]["description_en"] = body_to_description(HOSTILE_BODY)
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
def test_export_neutralises_formulas_and_round_trips(archive, tmp_path, suffix):
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

    result = import_file(out)
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    assert page.title == FORMULAS["title_vi"]
    assert page.specific.native_name == FORMULAS["native_name"]


def _failures(result):
    return {(error["row"], error["column"]) for error in result.errors()}


@pytest.mark.django_db
def test_control_characters_and_bad_record_ids_are_row_errors(archive, tmp_path):
    rows = make_rows(6, PROVINCES)
    for row in rows:
        row["access"] = "public"
    rows[0]["title_vi"] = "Lễ hội\x00Lồng Tồng"
    rows[1]["locality"] = "Bản\x1bNà Hang"
    rows[2]["record_id"] = "../../etc/passwd"
    rows[3]["record_id"] = "VH/Upper"
    rows[4]["description_vi"] = "Dòng một\n\tthụt lề\r\ndòng hai"  # tabs and breaks belong here
    sheet = write_csv(tmp_path / "in.csv", rows)
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
