"""The Vietnamese lunar calendar (UTC+7), through the ``lunar-vn`` library.

Every conversion the archive makes goes through this module, so the
library's quirks are handled once:

- it turns day 30 of a 29-day month into day 1 of the next month without
  a word; a festival on day 30 falls on the month's last day instead
  (:func:`solar_date`);
- it accepts a leap flag for a year whose leap month is another one (or
  none); such a date does not exist that year;
- it covers solar years 1900 to 2100 and raises ``ValueError`` outside.

Vietnam's calendar differs from the Chinese one in some years (Tết 1985,
2007, 2030 and 2053 fall a day or a month apart) because it is computed
for UTC+7: a Chinese-calendar library would be wrong here.
"""

import datetime
from dataclasses import dataclass

import lunar_vn

TIME_ZONE = 7.0  # Vietnam's calendar is computed for UTC+7.
FIRST_YEAR, LAST_YEAR = lunar_vn.SUPPORTED_YEAR_RANGE  # solar years 1900-2100
BRANCH_COUNT = 12
BRANCH_NAMES = lunar_vn.can_chi.CHI  # "Tý" … "Hợi": the Vietnamese names of the days' branches


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False


def lunar_date(solar):
    """The lunar date of a solar date (1900-2100)."""
    found = lunar_vn.solar_to_lunar(solar, time_zone=TIME_ZONE)
    return LunarDate(found.year, found.month, found.day, found.leap)


def _exact_solar_date(year, month, day, leap):
    """The library's answer when it names exactly this lunar date, else None."""
    try:
        solar = lunar_vn.convert_lunar_to_solar(
            day, month, year, 1 if leap else 0, time_zone=TIME_ZONE
        )
    except ValueError:  # outside 1900-2100, or a leap month this year does not have
        return None
    if lunar_date(solar) != LunarDate(year, month, day, leap):
        return None  # rolled over into the next month, or a leap flag the year ignores
    return solar


def solar_date(year, month, day, leap=False):
    """The solar date of lunar ``day`` of ``month`` (a leap month if ``leap``) of lunar ``year``.

    Day 30 of a month that has 29 days is its last day, the 29th. None when
    the date does not exist: a leap month the year lacks, or a date outside
    1900-2100.
    """
    solar = _exact_solar_date(year, month, day, leap)
    if solar is None and day == 30:
        solar = _exact_solar_date(year, month, 29, leap)
    return solar


def month_start_and_end(year, month, leap=False):
    """First and last solar day of a lunar month, or None if that month does not exist."""
    first = solar_date(year, month, 1, leap)
    if first is None:
        return None
    return first, solar_date(year, month, 30, leap)


def day_branch(solar):
    """The earthly branch of a day, 0 (Tý, rat) to 11 (Hợi, pig), as ``lunar_vn.can_chi`` counts."""
    jdn = lunar_vn.jd_from_date(solar.day, solar.month, solar.year)
    return BRANCH_NAMES.index(lunar_vn.can_chi.get_day_can_chi(jdn).split()[1])


def first_branch_day(year, month, branch, leap=False):
    """The first day of a lunar month whose earthly branch is ``branch`` ("ngày Thìn tháng Giêng").

    Branches repeat every 12 days, so it is one of the month's first 12 days.
    """
    bounds = month_start_and_end(year, month, leap)
    if bounds is None:
        return None
    first = bounds[0]
    return first + datetime.timedelta(days=(branch - day_branch(first)) % BRANCH_COUNT)


def year_name(year):
    """The sexagenary name of a lunar year: 2026 -> "Bính Ngọ"."""
    return lunar_vn.can_chi.get_year_can_chi(year)
