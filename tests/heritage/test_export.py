"""export_records: export then re-import changes nothing."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Revision

from heritage.importing import import_file
from heritage.models import RecordPage
from tests.heritage.importgen import make_rows, write_csv

PROVINCES = ["Tuyên Quang", "Lào Cai", "Bình Phước", "Gia Lai"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _read(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_changes_nothing(archive, tmp_path, suffix):
    rows = make_rows(8, PROVINCES)
    rows[3].update(title_en="", summary_en="", description_en="")
    import_file(write_csv(tmp_path / "in.csv", rows[:4]), publish=True)
    import_file(write_csv(tmp_path / "in2.csv", rows[4:]))  # drafts
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    # A body a description cannot hold: the export's body_json must carry it.
    page = page.specific
    page.body = [*page.body.raw_data, {"type": "paragraph", "value": "<p><b>đậm</b></p>"}]
    page.save_revision().publish()
    revisions = Revision.objects.count()

    out = tmp_path / f"out.{suffix}"
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    result = import_file(out)
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 8, "failed": 0}
    assert Revision.objects.count() == revisions
    assert "<b>đậm</b>" in RecordPage.objects.get(pk=page.pk).specific.body.raw_data[-1]["value"]


@pytest.mark.django_db
def test_body_json_wins_unless_the_description_was_edited(archive, tmp_path):
    rows = make_rows(2, PROVINCES)
    import_file(write_csv(tmp_path / "in.csv", rows), publish=True)
    out = tmp_path / "out.csv"
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    exported = _read(out)
    body = json.loads(exported[0]["body_json"])
    body.append({"type": "paragraph", "value": "<p><i>nghiêng</i></p>"})
    exported[0]["body_json"] = json.dumps(body, ensure_ascii=False)
    exported[0]["description_vi"] += "\n\nnghiêng"  # what the export would have written
    exported[1]["description_vi"] = "Mô tả mới, sửa trong bảng tính."
    columns = list(exported[0])
    write_csv(out, exported, columns)
    result = import_file(out, publish=True)
    assert result.counts["updated"] == 2
    first = RecordPage.objects.get(record_id=exported[0]["record_id"], locale__language_code="vi")
    assert first.specific.body.raw_data[-1]["value"] == "<p><i>nghiêng</i></p>"
    second = RecordPage.objects.get(record_id=exported[1]["record_id"], locale__language_code="vi")
    assert [b["value"] for b in second.specific.body.raw_data] == [
        "<p>Mô tả mới, sửa trong bảng tính.</p>"
    ]


@pytest.mark.django_db
def test_export_options(archive, tmp_path):
    rows = make_rows(4, PROVINCES)
    rows[0]["access"] = "restricted"
    import_file(write_csv(tmp_path / "in.csv", rows), publish=True)
    out = tmp_path / "out.csv"
    call_command(
        "export_records",
        str(out),
        "--province",
        "Bình Phước",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    exported = _read(out)
    assert [row["record_id"] for row in exported] == [rows[2]["record_id"]]
    assert exported[0]["province"] == "Bình Phước"  # the name as recorded
    call_command(
        "export_records",
        str(out),
        "--no-include-restricted",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert rows[0]["record_id"] not in {row["record_id"] for row in _read(out)}


@pytest.mark.django_db
def test_round_trip_keeps_both_languages_of_recorded_by_and_rights_holder(archive, tmp_path):
    rows = make_rows(2, PROVINCES)
    for row in rows:
        row.update(recorded_by="Nhóm khảo sát điền dã tỉnh", rights_holder="Sở Văn hóa")
    rows[0].update(
        recorded_by_en="Provincial field-survey team", rights_holder_en="Dept. of Culture"
    )
    import_file(write_csv(tmp_path / "in.csv", rows), publish=True)

    out = tmp_path / "out.csv"
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    exported = {row["record_id"]: row for row in _read(out)}
    first, second = exported[rows[0]["record_id"]], exported[rows[1]["record_id"]]
    assert (first["recorded_by"], first["recorded_by_en"]) == (
        "Nhóm khảo sát điền dã tỉnh",
        "Provincial field-survey team",
    )
    assert (first["rights_holder"], first["rights_holder_en"]) == ("Sở Văn hóa", "Dept. of Culture")
    # English as Vietnamese: blank, as the import reads a blank cell.
    assert (second["recorded_by_en"], second["rights_holder_en"]) == ("", "")

    assert import_file(out).counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    # An officer fixes the English wording in the sheet; only that language changes.
    first["recorded_by_en"] = "Provincial survey team"
    write_csv(out, list(exported.values()), list(first))
    assert import_file(out, publish=True).counts["updated"] == 1
    pages = RecordPage.objects.filter(record_id=rows[0]["record_id"])
    assert {p.locale.language_code: p.recorded_by for p in pages} == {
        "vi": "Nhóm khảo sát điền dã tỉnh",
        "en": "Provincial survey team",
    }


@pytest.mark.django_db
def test_english_keywords_go_to_the_english_page_and_come_back_in_the_export(archive, tmp_path):
    rows = make_rows(3, PROVINCES)
    for row in rows:
        row["keywords"] = "cầu mùa;ném còn"
    rows[0]["keywords_en"] = "harvest prayer;ball throwing"
    rows[2].update(title_en="", summary_en="", description_en="", keywords_en="harvest")
    result = import_file(write_csv(tmp_path / "in.csv", rows), publish=True)

    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    failed = [row for row in result.rows if row.status == "failed"][0]
    assert failed.errors == [
        {"column": "keywords_en", "reason": "Keywords (English) given without an English title"}
    ]

    def keywords(record_id, language):
        page = RecordPage.objects.get(record_id=record_id, locale__language_code=language)
        return sorted(page.keywords.names())

    assert keywords(rows[0]["record_id"], "vi") == ["cầu mùa", "ném còn"]
    assert keywords(rows[0]["record_id"], "en") == ["ball throwing", "harvest prayer"]
    # A blank English cell: the English page has the Vietnamese keywords.
    assert keywords(rows[1]["record_id"], "en") == ["cầu mùa", "ném còn"]

    out = tmp_path / "out.csv"
    call_command("export_records", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    exported = {row["record_id"]: row for row in _read(out)}
    assert exported[rows[0]["record_id"]]["keywords_en"] == "ball throwing;harvest prayer"
    assert exported[rows[1]["record_id"]]["keywords_en"] == ""
    assert import_file(out).counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
