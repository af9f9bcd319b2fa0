"""How dates of the lunar and solar calendars read in Vietnamese and in English.

Vietnamese names lunar months ("tháng Giêng", "tháng Chạp") and days ("mùng 5",
"rằm") with words English has no equivalent for, so each language gets its
own phrasing rather than one translated pattern.
"""

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LUNAR_MONTHS_VI = {
    1: "Giêng",
    2: "Hai",
    3: "Ba",
    4: "Tư",
    5: "Năm",
    6: "Sáu",
    7: "Bảy",
    8: "Tám",
    9: "Chín",
    10: "Mười",
    11: "Mười Một",
    12: "Chạp",
}

# The day's animal, as English names the earthly branches (Vietnam's Mão is the cat).
BRANCH_ANIMALS_EN = [
    "Rat",
    "Ox",
    "Tiger",
    "Cat",
    "Dragon",
    "Snake",
    "Horse",
    "Goat",
    "Monkey",
    "Rooster",
    "Dog",
    "Pig",
]


def _english():
    return (get_language() or "vi").startswith("en")


def ordinal(number):
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 22 -> "22nd"."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def lunar_date_label(month, day=None, leap=False):
    """E.g. "Mùng 5 tháng Giêng (âm lịch)" / "5th day of the 1st lunar month".

    Returns "" without a month.
    """
    if not month:
        return ""
    if _english():
        month_text = f"{'leap ' if leap else ''}{ordinal(month)} lunar month"
        if day:
            return f"{ordinal(day)} day of the {month_text}"
        return month_text[0].upper() + month_text[1:]
    month_text = f"tháng {LUNAR_MONTHS_VI[month]}{' nhuận' if leap else ''}"
    if not day:
        return f"{month_text[0].upper()}{month_text[1:]} (âm lịch)"
    if day <= 10:
        day_text = f"Mùng {day}"
    elif day == 15:
        day_text = "Rằm"
    else:
        day_text = f"Ngày {day}"
    return f"{day_text} {month_text} (âm lịch)"


def zodiac_day_label(branch_index, month, leap=False):
    """E.g. "Ngày Thìn tháng Giêng (âm lịch)" / "Dragon day of the 1st lunar month"."""
    from heritage.lunar_calendar import BRANCH_NAMES

    if _english():
        animal = BRANCH_ANIMALS_EN[branch_index]
        return f"{animal} day of the {'leap ' if leap else ''}{ordinal(month)} lunar month"
    month_text = f"tháng {LUNAR_MONTHS_VI[month]}{' nhuận' if leap else ''}"
    return f"Ngày {BRANCH_NAMES[branch_index]} {month_text} (âm lịch)"


def solar_date_label(month, day=None):
    """E.g. "Ngày 15 tháng 3 (dương lịch)" / "15 March"; "" without a month."""
    if not month:
        return ""
    if _english():
        return f"{day} {MONTHS[month]}" if day else str(MONTHS[month])
    if day:
        return f"Ngày {day} tháng {month} (dương lịch)"
    return f"Tháng {month} (dương lịch)"


def solar_month_label(year, month, *, with_year=True):
    """ "Tháng 2 năm 2026" / "February 2026" ("Tháng 2" / "February" without the year)."""
    if _english():
        return f"{MONTHS[month]} {year}" if with_year else str(MONTHS[month])
    return f"Tháng {month} năm {year}" if with_year else f"Tháng {month}"


def lunar_month_year_label(year, month, leap=False):
    """ "Tháng Giêng năm Bính Ngọ" / "1st lunar month of Bính Ngọ (2026)"."""
    from heritage.lunar_calendar import year_name

    if _english():
        return (
            f"{'Leap ' if leap else ''}{ordinal(month)} lunar month of {year_name(year)} ({year})"
        )
    return f"Tháng {LUNAR_MONTHS_VI[month]}{' nhuận' if leap else ''} năm {year_name(year)}"


def lunar_day_short(day, month, leap=False, *, with_month=False):
    """A calendar cell's lunar date: "5", or "1/2" ("1/2N" in a leap month) where a month starts."""
    if not with_month:
        return str(day)
    return f"{day}/{month}{'N' if leap and not _english() else 'L' if leap else ''}"


WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def day_label(date):
    """ "Thứ Ba, 17/2/2026" / "Tuesday 17 February 2026"."""
    if _english():
        return f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month]} {date.year}"
    return f"{WEEKDAYS_VI[date.weekday()]}, {date.day}/{date.month}/{date.year}"


def years_label(every):
    """ "Every 3 years" in the active language."""
    return _("Every %(years)s years") % {"years": every}
