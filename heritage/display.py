"""How dates of the lunar and solar calendars read in Vietnamese and in English.

Vietnamese names lunar months ("tháng Giêng", "tháng Chạp") and days ("mùng 5",
"rằm") with words English has no equivalent for, so each language gets its
own phrasing rather than one translated pattern.
"""

from django.utils.dates import MONTHS
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


def solar_date_label(month, day=None):
    """E.g. "Ngày 15 tháng 3 (dương lịch)" / "15 March"; "" without a month."""
    if not month:
        return ""
    if _english():
        return f"{day} {MONTHS[month]}" if day else str(MONTHS[month])
    if day:
        return f"Ngày {day} tháng {month} (dương lịch)"
    return f"Tháng {month} (dương lịch)"


def years_label(every):
    """ "Every 3 years" in the active language."""
    return _("Every %(years)s years") % {"years": every}
