"""Occurrences of records by timing kind and recurrence, on unsaved records."""

import datetime

import pytest

from heritage import festival_calendar
from heritage.lunar_calendar import day_branch, lunar_date, solar_date
from heritage.models import FestivalEdition, RecordPage
from heritage.models.records import Recurrence, TimingKind

D = datetime.date
pytestmark = pytest.mark.django_db  # a page looks up its content type when built


def record(pk=1, **fields):
    fields.setdefault("title", f"Lễ hội {pk}")
    return RecordPage(pk=pk, **fields)


def days(records, first, last, editions=()):
    return [o.start for o in festival_calendar.occurrences(records, list(editions), first, last)]


def test_a_lunar_festival_falls_on_its_lunar_day_every_year():
    long_tong = record(lunar_month=1, lunar_day=8)
    assert days([long_tong], D(2026, 1, 1), D(2026, 12, 31)) == [D(2026, 2, 24)]
    assert days([long_tong], D(2025, 1, 1), D(2025, 12, 31)) == [D(2025, 2, 5)]


def test_a_festival_of_the_sixth_month_happens_once_in_2025_in_the_regular_month():
    sixth = record(lunar_month=6, lunar_day=10)
    assert days([sixth], D(2025, 1, 1), D(2025, 12, 31)) == [solar_date(2025, 6, 10)]
    assert lunar_date(D(2025, 7, 4)).leap is False


def test_a_festival_of_the_leap_month_happens_only_in_years_that_have_it():
    leap_sixth = record(lunar_month=6, lunar_day=10, lunar_leap=True)
    assert days([leap_sixth], D(2025, 1, 1), D(2025, 12, 31)) == [D(2025, 8, 3)]
    assert days([leap_sixth], D(2024, 1, 1), D(2026, 12, 31)) == [D(2025, 8, 3)]


def test_day_30_of_the_twelfth_month_stays_in_the_month_when_it_has_29_days():
    last_day = record(lunar_month=12, lunar_day=30)
    # Lunar 2025's 12th month has 29 days: its last day is 16 February 2026, Tết is the 17th.
    assert days([last_day], D(2026, 2, 1), D(2026, 2, 28)) == [D(2026, 2, 16)]


def test_a_lunar_date_late_in_the_year_can_fall_twice_in_one_solar_year():
    early_twelfth = record(lunar_month=12, lunar_day=1)
    found = festival_calendar.occurrences([early_twelfth], [], D(2024, 1, 1), D(2024, 12, 31))
    # Lunar 2023's 12th month starts in January 2024, lunar 2024's on 31 December.
    assert [(o.start, o.year) for o in found] == [(D(2024, 1, 11), 2023), (D(2024, 12, 31), 2024)]


def test_every_n_years_counts_from_the_reference_year():
    every_three = record(
        lunar_month=1,
        lunar_day=10,
        recurrence=Recurrence.PERIODIC,
        recurrence_years=3,
        reference_year=2022,
    )
    held = [
        year for year in range(2022, 2032) if days([every_three], D(year, 1, 1), D(year, 12, 31))
    ]
    assert held == [2022, 2025, 2028, 2031]


def test_a_periodic_festival_without_its_reference_year_is_not_placed():
    unknown = record(
        lunar_month=1, lunar_day=10, recurrence=Recurrence.PERIODIC, recurrence_years=3
    )
    assert days([unknown], D(2020, 1, 1), D(2030, 12, 31)) == []


def test_the_first_dragon_day_of_the_first_lunar_month():
    roong_pooc = record(timing_kind=TimingKind.ZODIAC_DAY, lunar_month=1, zodiac_branch="thin")
    (day,) = days([roong_pooc], D(2026, 1, 1), D(2026, 12, 31))
    assert day == D(2026, 2, 23)
    assert day_branch(day) == 4 and lunar_date(day).month == 1 and lunar_date(day).day <= 12


def test_a_solar_date_and_29_february():
    solar = record(timing_kind=TimingKind.SOLAR, solar_month=2, solar_day=29)
    assert days([solar], D(2024, 1, 1), D(2024, 12, 31)) == [D(2024, 2, 29)]
    assert days([solar], D(2025, 1, 1), D(2025, 12, 31)) == [D(2025, 2, 28)]


@pytest.mark.parametrize("kind", [TimingKind.OTHER_CALENDAR, TimingKind.ANNOUNCED])
def test_an_announced_date_is_known_only_from_documented_editions(kind):
    kate = record(pk=7, timing_kind=kind, lunar_month=7, lunar_day=1)
    editions = [
        FestivalEdition(page_id=7, year=2023, start_date=D(2023, 10, 14), end_date=D(2023, 10, 16)),
        FestivalEdition(page_id=7, year=2024, start_date=D(2024, 10, 2)),
    ]
    found = festival_calendar.occurrences([kate], editions, D(2023, 10, 15), D(2023, 10, 31))
    assert [(o.start, o.end, o.documented) for o in found] == [
        (D(2023, 10, 14), D(2023, 10, 16), True)
    ]
    assert days([kate], D(2024, 10, 3), D(2024, 12, 31), editions) == []
    assert festival_calendar.announced([kate]) == [kate]


def test_editions_of_a_computed_festival_do_not_add_dates():
    long_tong = record(pk=3, lunar_month=1, lunar_day=8)
    edition = FestivalEdition(page_id=3, year=2026, start_date=D(2026, 2, 20))
    assert days([long_tong], D(2026, 2, 1), D(2026, 2, 28), [edition]) == [D(2026, 2, 24)]


def test_occasional_records_are_not_placed():
    gau_tao = record(lunar_month=1, recurrence=Recurrence.OCCASIONAL)
    assert days([gau_tao], D(2026, 1, 1), D(2026, 12, 31)) == []
    assert festival_calendar.month_long([gau_tao], [(2026, 1, False)], []) == []
    assert festival_calendar.announced([gau_tao]) == []


def test_a_record_known_by_its_month_is_held_during_that_month():
    spring = record(lunar_month=1)
    months = festival_calendar.lunar_months_between(D(2026, 2, 1), D(2026, 2, 28))
    assert months == [(2025, 12, False), (2026, 1, False)]
    (found,) = festival_calendar.month_long([spring], months, [(2026, 2)])
    assert (found.start, found.end, found.is_lunar) == (D(2026, 2, 17), D(2026, 3, 18), True)
    harvest = record(pk=2, timing_kind=TimingKind.SOLAR, solar_month=11)
    (found,) = festival_calendar.month_long([harvest], [], [(2026, 11)])
    assert (found.start, found.end) == (D(2026, 11, 1), D(2026, 11, 30))


def test_timing_rules():
    assert record(recurrence=Recurrence.PERIODIC).timing_errors().keys() == {
        "recurrence_years",
        "reference_year",
    }
    assert record(timing_kind=TimingKind.ZODIAC_DAY, lunar_day=3).timing_errors().keys() == {
        "zodiac_branch",
        "lunar_month",
        "lunar_day",
    }
    assert record(timing_kind=TimingKind.SOLAR).timing_errors().keys() == {"solar_month"}
    assert record(zodiac_branch="thin").timing_errors().keys() == {"zodiac_branch"}
    assert record(lunar_month=1, lunar_day=8).timing_errors() == {}


def test_timing_kind_from_older_dates():
    assert TimingKind.for_dates(1, None) == TimingKind.LUNAR
    assert TimingKind.for_dates(None, 4) == TimingKind.SOLAR
    assert TimingKind.for_dates(None, None) == TimingKind.ANNOUNCED
