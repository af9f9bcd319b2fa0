"""When records happen: their occurrences between two solar dates (Vietnam's time, UTC+7).

One module for the calendar page, the home page's "this lunar month" and the
iCalendar feed. Dates come from the record's timing kind:

- lunar: its lunar day and month, every lunar year (a festival of month 6
  happens once in a year with a leap 6th month, in the regular one, unless
  it is set in the leap month itself);
- solar: its solar day and month (29 February is the 28th in other years);
- zodiac day: the first day of its earthly branch in its lunar month;
- another calendar (Chăm, Khmer) or announced each year: nothing is
  computed; the documented editions with dates are what is known.

A record with a month but no day happens "in" that month, without a day.
Occasional records and periodic ones outside their years are not placed;
documented editions with dates always are.
"""

import calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q

from heritage import lunar_calendar
from heritage.display import day_label, lunar_date_label, solar_date_label
from heritage.models.records import (
    EarthlyBranch,
    FestivalEdition,
    RecordPage,
    Recurrence,
    TimingKind,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR, LAST_YEAR = lunar_calendar.FIRST_YEAR, lunar_calendar.LAST_YEAR


def today():
    """Today's date in Vietnam, whatever the server's time zone."""
    return datetime.datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class Occurrence:
    """A record on one or more days: computed, or a documented edition."""

    record: RecordPage
    start: datetime.date
    end: datetime.date  # inclusive
    year: int  # the festival's own year: the lunar year of a lunar date, an edition's year
    documented: bool = False

    def covers(self, day):
        return self.start <= day <= self.end

    @property
    def start_label(self):
        return day_label(self.start)

    @property
    def end_label(self):
        """The last day of a documented edition of several days, else ""."""
        return day_label(self.end) if self.end != self.start else ""

    @property
    def lunar_label(self):
        lunar = lunar_calendar.lunar_date(self.start)
        return lunar_date_label(lunar.month, lunar.day, lunar.leap)


@dataclass(frozen=True)
class MonthLong:
    """A record known by its month only: "in the 1st lunar month"."""

    record: RecordPage
    start: datetime.date
    end: datetime.date
    year: int
    is_lunar: bool

    @property
    def month_label(self):
        """ "Tháng Giêng (âm lịch)" / "Tháng 2 (dương lịch)"."""
        if self.is_lunar:
            return lunar_date_label(self.record.lunar_month, None, self.record.lunar_leap)
        return solar_date_label(self.record.solar_month)


def recurs_in(record, year):
    """Whether a record is held in ``year`` (lunar for lunar dates) by its recurrence."""
    if record.recurrence == Recurrence.OCCASIONAL:
        return False
    if record.recurrence == Recurrence.PERIODIC:
        if not (record.recurrence_years and record.reference_year):
            return False
        return (year - record.reference_year) % record.recurrence_years == 0
    return True


def computed_day(record, year):
    """The day a record falls on in its ``year`` (lunar or solar by its kind), or None."""
    kind = record.timing_kind
    if kind == TimingKind.LUNAR and record.lunar_month and record.lunar_day:
        return lunar_calendar.solar_date(
            year, record.lunar_month, record.lunar_day, record.lunar_leap
        )
    if kind == TimingKind.ZODIAC_DAY and record.lunar_month and record.zodiac_branch:
        branch = EarthlyBranch(record.zodiac_branch).index
        return lunar_calendar.first_branch_day(year, record.lunar_month, branch, record.lunar_leap)
    if kind == TimingKind.SOLAR and record.solar_month and record.solar_day:
        last_day = calendar.monthrange(year, record.solar_month)[1]
        return datetime.date(year, record.solar_month, min(record.solar_day, last_day))
    return None


def next_day(record, after=None):
    """The next day the record is held, on or after ``after`` (today), or None.

    None when no calendar here computes it (announced each year, another
    calendar, occasional) or when it falls beyond the calendar's last year.
    """
    after = after or today()
    # A periodic festival may be a whole period away; a lunar year starts in the solar one before.
    horizon = min(after.year + (record.recurrence_years or 1) + 1, LAST_YEAR)
    for year in range(max(after.year - 1, FIRST_YEAR), horizon + 1):
        if not recurs_in(record, year):
            continue
        day = computed_day(record, year)
        if day is not None and day >= after:
            return day
    return None


def _years(record, first, last):
    """The record's own years that may fall between two solar dates."""
    if record.timing_kind == TimingKind.SOLAR:
        return range(first.year, last.year + 1)
    # A lunar year starts in late January or February of its solar year.
    return range(max(first.year - 1, FIRST_YEAR - 1), last.year + 1)


def occurrences(records, editions, first, last):
    """Every occurrence of ``records`` on a day between ``first`` and ``last``, by date.

    ``editions`` are the records' documented editions with a start date
    (see :func:`documented_editions`).
    """
    found = []
    for record in records:
        if record.has_announced_date:
            continue
        for year in _years(record, first, last):
            if not recurs_in(record, year):
                continue
            day = computed_day(record, year)
            if day is not None and first <= day <= last:
                found.append(Occurrence(record, day, day, year))
    by_pk = {record.pk: record for record in records}
    for edition in editions:
        record = by_pk.get(edition.page_id)
        end = edition.end_date or edition.start_date
        if record is not None and record.has_announced_date and edition.start_date <= last:
            if end >= first:
                found.append(
                    Occurrence(record, edition.start_date, end, edition.year, documented=True)
                )
    return sorted(found, key=lambda o: (o.start, o.record.title))


def month_long(records, lunar_months, solar_months):
    """Records known by their month only, held in one of the given months.

    ``lunar_months`` holds ``(lunar year, month, leap)`` triples, ``solar_months``
    ``(year, month)`` pairs.
    """
    found = []
    for record in records:
        if record.lunar_day or record.timing_kind != TimingKind.LUNAR:
            continue
        for year, month, leap in lunar_months:
            if (record.lunar_month, record.lunar_leap) == (month, leap) and recurs_in(record, year):
                start, end = lunar_calendar.month_start_and_end(year, month, leap)
                found.append(MonthLong(record, start, end, year, is_lunar=True))
    for record in records:
        if record.solar_day or record.timing_kind != TimingKind.SOLAR:
            continue
        for year, month in solar_months:
            if record.solar_month == month and recurs_in(record, year):
                start = datetime.date(year, month, 1)
                end = datetime.date(year, month, calendar.monthrange(year, month)[1])
                found.append(MonthLong(record, start, end, year, is_lunar=False))
    return sorted(found, key=lambda m: (m.start, m.record.title))


def announced(records):
    """Records whose date is announced each year (another calendar, or no fixed rule)."""
    return [r for r in records if r.has_announced_date and r.recurrence != Recurrence.OCCASIONAL]


def documented_editions(visible, first, last):
    """The dated editions of the ``visible`` records that overlap ``first``–``last``, in one
    query."""
    return list(
        FestivalEdition.objects.filter(
            page__in=visible.values("pk"),
            start_date__isnull=False,
            start_date__lte=last,
        )
        .filter(Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
        .order_by("start_date", "pk")
    )


def _placed(visible):
    """The records, with what their labels read (place) fetched in the same query."""
    return visible.select_related("province", "province_as_recorded").order_by("title")


def lunar_months_between(first, last):
    """The ``(lunar year, month, leap)`` months that the days ``first``–``last`` fall in."""
    months = []
    day = first
    while day <= last:
        date = lunar_calendar.lunar_date(day)
        key = (date.year, date.month, date.leap)
        if key not in months:
            months.append(key)
        day += datetime.timedelta(days=1)
    return months


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    lunar: lunar_calendar.LunarDate | None
    in_month: bool
    occurrences: tuple


@dataclass(frozen=True)
class Month:
    """A solar month as the calendar page shows it: weeks from Monday, and what falls in it."""

    year: int
    month: int
    weeks: list  # of lists of 7 CalendarDay
    occurrences: list  # of Occurrence, by date
    month_long: list  # of MonthLong
    lunar_months: list  # of (lunar year, month, leap)
    announced: list  # of RecordPage


def month(visible, year, month_number):
    """The calendar of one solar month for the ``visible`` records (access rule and
    language already applied): two queries whatever their number."""
    first = datetime.date(year, month_number, 1)
    last = datetime.date(year, month_number, calendar.monthrange(year, month_number)[1])
    records = list(_placed(visible))
    found = occurrences(records, documented_editions(visible, first, last), first, last)
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    days = []
    day = grid_start
    while day <= grid_end:
        on_day = tuple(o for o in found if o.covers(day))
        # The grid of January 1900 and December 2100 reaches past the library's range.
        lunar = lunar_calendar.lunar_date(day) if FIRST_YEAR <= day.year <= LAST_YEAR else None
        days.append(CalendarDay(day, lunar, first <= day <= last, on_day))
        day += datetime.timedelta(days=1)
    lunar_months = lunar_months_between(first, last)
    return Month(
        year=year,
        month=month_number,
        weeks=[days[i : i + 7] for i in range(0, len(days), 7)],
        occurrences=found,
        month_long=month_long(records, lunar_months, [(year, month_number)]),
        lunar_months=lunar_months,
        announced=announced(records),
    )


def lunar_month_of(visible, day):
    """What happens in the lunar month of ``day``: ``(lunar date, occurrences, month-long)``."""
    date = lunar_calendar.lunar_date(day)
    first, last = lunar_calendar.month_start_and_end(date.year, date.month, date.leap)
    records = list(_placed(visible))
    found = occurrences(records, documented_editions(visible, first, last), first, last)
    whole = month_long(records, [(date.year, date.month, date.leap)], [])
    return date, found, whole


def year_occurrences(visible, year):
    """Every occurrence on a day in a solar year: the iCalendar feed's events."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    records = list(_placed(visible))
    return occurrences(records, documented_editions(visible, first, last), first, last)
