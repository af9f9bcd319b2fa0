"""Timing kinds through the admin's rule, the import and the export."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from freezegun import freeze_time

from heritage.exporting import record_rows
from heritage.importing import import_file
from heritage.importing.values import COLUMN_GUIDE, COLUMNS
from heritage.models import RecordPage
from heritage.models.records import EarthlyBranch, TimingKind
from tests.factories import make_record
from tests.heritage.importgen import make_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rows_for(tmp_path, **cells_by_row):
    rows = make_rows(len(cells_by_row), ["Lào Cai"], english=False)
    for row, cells in zip(rows, cells_by_row.values(), strict=True):
        row.update(lunar_day="", solar_month="", solar_day="", recurrence="annual")
        row.update(recurrence_years="", reference_year="")
        row.update(cells)
    return rows, write_csv(tmp_path / "timing.csv", rows)


def test_every_new_column_is_explained():
    for column in ("timing_kind", "zodiac_branch", "reference_year"):
        assert column in COLUMNS and COLUMN_GUIDE[column].explanation


def test_import_reads_timing_kinds(archive, tmp_path):
    rows, sheet = rows_for(
        tmp_path,
        roong_pooc={"timing_kind": "zodiac_day", "lunar_month": "1", "zodiac_branch": "Thìn"},
        kate={"timing_kind": "other_calendar", "lunar_month": ""},
        periodic={
            "lunar_month": "3",
            "lunar_day": "10",
            "recurrence": "periodic",
            "recurrence_years": "3",
            "reference_year": "2025",
        },
        older_sheet={"timing_kind": "", "lunar_month": "", "solar_month": "4", "solar_day": "19"},
    )
    result = import_file(sheet, publish=True)
    assert result.errors() == [] and result.counts["created"] == 4
    pages = {p.record_id: p for p in RecordPage.objects.filter(locale__language_code="vi")}
    zodiac, kate, periodic, solar = (pages[row["record_id"]] for row in rows)
    assert (zodiac.timing_kind, zodiac.zodiac_branch) == (TimingKind.ZODIAC_DAY, "thin")
    assert kate.timing_kind == TimingKind.OTHER_CALENDAR and kate.has_announced_date
    assert (periodic.reference_year, periodic.recurrence_years) == (2025, 3)
    assert solar.timing_kind == TimingKind.SOLAR
    exported = {row["record_id"]: row for row in record_rows()}
    assert exported[zodiac.record_id]["zodiac_branch"] == "thin"
    assert exported[periodic.record_id]["reference_year"] == "2025"
    assert exported[solar.record_id]["timing_kind"] == "solar"
    # The export imports back unchanged.
    again = import_file(write_csv(tmp_path / "again.csv", list(exported.values())))
    assert again.counts["unchanged"] == 4


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({"recurrence": "periodic", "recurrence_years": "3"}, "reference_year", "year it was held"),
        ({"reference_year": "2020"}, "reference_year", "not periodic"),
        ({"timing_kind": "zodiac_day", "lunar_month": "1"}, "zodiac_branch", "choose the zodiac"),
        ({"timing_kind": "zodiac_day", "zodiac_branch": "Rồng"}, "zodiac_branch", "not a valid"),
        ({"timing_kind": "lunisolar"}, "timing_kind", "not a valid choice"),
        ({"zodiac_branch": "thin"}, "zodiac_branch", "only for the timing"),
        ({"timing_kind": "solar", "lunar_month": "1"}, "solar_month", "solar month"),
    ],
)
def test_import_refuses_timing_it_cannot_place(archive, tmp_path, cells, column, words):
    _rows, sheet = rows_for(tmp_path, bad=cells)
    result = import_file(sheet)
    (error,) = result.errors()
    assert error["column"] == column
    assert words in error["reason"].lower()
    assert not RecordPage.objects.exists()


def test_the_admin_rule_is_the_model_rule(archive):
    record = make_record("Lễ hội ba năm", lunar_month=1, lunar_day=8)
    record.recurrence, record.recurrence_years = "periodic", 3
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    assert "reference_year" in raised.value.message_dict


def test_zodiac_day_labels(archive):
    record = make_record(
        "Lễ hội Roóng Poọc",
        lunar_month=1,
        timing_kind=TimingKind.ZODIAC_DAY,
        zodiac_branch=EarthlyBranch.THIN,
    )
    with translation.override("vi"):
        assert record.timing_label == "Ngày Thìn tháng Giêng (âm lịch)"
        assert EarthlyBranch.THIN.label == "Thìn (rồng)"
    assert record.timing_label == "Dragon day of the 1st lunar month"
    announced = make_record("Lễ mừng lúa mới", timing_kind=TimingKind.ANNOUNCED)
    with translation.override("vi"):
        assert announced.timing_label == "Ngày công bố hằng năm"


@freeze_time("2026-12-02")
def test_the_record_page_says_when_and_links_the_next_day_in_the_calendar(client, archive):
    lunar = make_record("Lễ hội Lồng Tồng", lunar_month=1, lunar_day=8)
    html = client.get(lunar.url).content.decode()
    # Tết 2027 is on 6 February, so the 8th of the first lunar month is the 13th.
    assert "Lần tới: Ngày 13 tháng 2 năm 2027" in html
    assert 'href="/calendar/2027/2/"' in html
    announced = make_record("Lễ Katê", timing_kind="other_calendar", season="Tháng 7 lịch Chăm")
    html = client.get(announced.url).content.decode()
    assert "Ngày công bố hằng năm" in html and "Lần tới" not in html
