"""The Vietnamese lunar calendar, checked against an independent source and the real cases.

``holidays`` keeps its own tables of Vietnam's Tết (it does not compute
them with ``lunar-vn``), so agreeing on 200 years of Tết checks the
library's month starts, its leap months and its UTC+7 arithmetic.
"""

import datetime

import holidays
import lunar_vn
import pytest

from heritage import lunar_calendar
from heritage.lunar_calendar import LunarDate, first_branch_day, lunar_date, solar_date


def holidays_tet(year):
    (tet,) = holidays.Vietnam(years=year).get_named("Lunar New Year", lookup="exact")
    return tet


def test_tet_matches_the_holidays_tables_for_every_year_1901_to_2100():
    differ = [
        (year, solar_date(year, 1, 1), holidays_tet(year))
        for year in range(1901, 2101)
        if solar_date(year, 1, 1) != holidays_tet(year)
    ]
    assert differ == []


@pytest.mark.parametrize(
    "year, tet",
    [
        # Years where the Chinese calendar (UTC+8) puts the new year elsewhere.
        (1985, datetime.date(1985, 1, 21)),
        (2007, datetime.date(2007, 2, 17)),
        (2030, datetime.date(2030, 2, 2)),
        (2053, datetime.date(2053, 2, 18)),
    ],
)
def test_tet_in_the_years_the_chinese_calendar_differs(year, tet):
    assert solar_date(year, 1, 1) == tet == holidays_tet(year)
    assert lunar_date(tet) == LunarDate(year, 1, 1)


def test_2025_has_a_leap_sixth_month_after_the_regular_one():
    regular = solar_date(2025, 6, 10)
    leap = solar_date(2025, 6, 10, leap=True)
    assert regular == datetime.date(2025, 7, 4)
    assert leap == datetime.date(2025, 8, 3)
    assert lunar_date(regular) == LunarDate(2025, 6, 10, leap=False)
    assert lunar_date(leap) == LunarDate(2025, 6, 10, leap=True)


def test_a_leap_month_the_year_does_not_have_does_not_exist():
    assert solar_date(2024, 6, 10, leap=True) is None
    assert solar_date(2025, 5, 10, leap=True) is None


@pytest.mark.parametrize("year", range(2025, 2032))
def test_day_30_of_a_29_day_twelfth_month_is_its_last_day(year):
    last_day = solar_date(year, 12, 29)
    assert solar_date(year, 12, 30) == last_day
    assert lunar_date(last_day) == LunarDate(year, 12, 29)
    # The library alone rolls it over to Tết, which is why solar_date wraps it.
    assert lunar_vn.convert_lunar_to_solar(30, 12, year) == solar_date(year + 1, 1, 1)


def test_day_30_of_a_30_day_month_is_itself():
    # The 12th month of 2023 (Quý Mão) has 30 days: Tết Giáp Thìn is 10 February 2024.
    assert solar_date(2023, 12, 30) == datetime.date(2024, 2, 9)
    assert lunar_date(datetime.date(2024, 2, 9)) == LunarDate(2023, 12, 30)


def test_month_bounds():
    first, last = lunar_calendar.month_start_and_end(2025, 12)
    assert (first, last) == (datetime.date(2026, 1, 19), datetime.date(2026, 2, 16))


def test_dates_outside_1900_to_2100_do_not_exist():
    assert solar_date(2100, 12, 15) is None  # falls in 2101
    assert solar_date(1899, 12, 1) is not None  # January 1900


def test_first_dragon_day_of_the_first_month():
    day = first_branch_day(2026, 1, 4)  # Thìn
    assert day == datetime.date(2026, 2, 23)
    jdn = lunar_vn.jd_from_date(day.day, day.month, day.year)
    assert lunar_vn.can_chi.get_day_can_chi(jdn).endswith("Thìn")
    lunar = lunar_date(day)
    assert (lunar.year, lunar.month) == (2026, 1) and lunar.day <= 12
    before = [day - datetime.timedelta(days=n) for n in range(1, lunar.day)]
    assert all(lunar_calendar.day_branch(d) != 4 for d in before)


def test_year_names():
    assert lunar_calendar.year_name(2026) == "Bính Ngọ"
    assert lunar_calendar.year_name(1985) == "Ất Sửu"
