"""The festival calendar: a month page and an iCalendar feed, of visible records only."""

import datetime

import icalendar
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from heritage import festival_calendar
from heritage.display import lunar_day_short, lunar_month_year_label, solar_month_label
from heritage.views import visible_records_in_language

YEARS = range(festival_calendar.FIRST_YEAR, festival_calendar.LAST_YEAR + 1)


def _month_url(year, month):
    if year not in YEARS:
        return None
    return reverse("festival_calendar_month", args=[year, month])


def _weekdays():
    """(short, full) weekday names from Monday, as a Vietnamese calendar's columns read."""
    short = [
        pgettext("weekday, short", "Mon"),
        pgettext("weekday, short", "Tue"),
        pgettext("weekday, short", "Wed"),
        pgettext("weekday, short", "Thu"),
        pgettext("weekday, short", "Fri"),
        pgettext("weekday, short", "Sat"),
        pgettext("weekday, short", "Sun"),
    ]
    return list(zip(short, [WEEKDAYS[i] for i in range(7)], strict=True))


def _cell_lunar_label(day, is_first_cell):
    lunar = day.lunar
    if lunar is None:
        return ""
    return lunar_day_short(
        lunar.day, lunar.month, lunar.leap, with_month=lunar.day == 1 or is_first_cell
    )


def calendar_month(request, year=None, month=None):
    """/calendar/ (this month in Vietnam) and /calendar/<year>/<month>/."""
    if year is None:
        today = festival_calendar.today()
        year, month = today.year, today.month
    if year not in YEARS or not 1 <= month <= 12:
        raise Http404
    shown = festival_calendar.month(visible_records_in_language(request), year, month)
    previous_year, previous_month = (year, month - 1) if month > 1 else (year - 1, 12)
    next_year, next_month = (year, month + 1) if month < 12 else (year + 1, 1)
    today = festival_calendar.today()
    weeks = [
        [
            {
                "day": day,
                "lunar_label": _cell_lunar_label(day, index == 0 and row == 0),
                "is_today": day.date == today,
                "starts_lunar_month": day.lunar is not None and day.lunar.day == 1,
            }
            for index, day in enumerate(week)
        ]
        for row, week in enumerate(shown.weeks)
    ]
    return render(
        request,
        "pages/calendar_month.html",
        {
            "month": shown,
            "weeks": weeks,
            "weekdays": _weekdays(),
            "month_label": solar_month_label(year, month),
            "lunar_month_labels": [
                lunar_month_year_label(*lunar_month) for lunar_month in shown.lunar_months
            ],
            "previous_url": _month_url(previous_year, previous_month),
            # Within the same year the step names the month alone: it fits a phone.
            "previous_label": solar_month_label(
                previous_year, previous_month, with_year=previous_year != year
            ),
            "next_url": _month_url(next_year, next_month),
            "next_label": solar_month_label(next_year, next_month, with_year=next_year != year),
            "this_month_url": reverse("festival_calendar"),
            "ics_url": reverse("festival_calendar_ics") + f"?year={year}",
        },
    )


def _event(occurrence, request):
    record = occurrence.record
    url = request.build_absolute_uri(record.get_url(request))
    event = icalendar.Event()
    event.add("uid", f"{record.record_id}-{occurrence.year}-{get_language()}@{request.get_host()}")
    event.add("summary", record.title)
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end + datetime.timedelta(days=1))  # exclusive, RFC 5545
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("url", url)
    lines = [record.timing_label, record.place_label]
    if occurrence.documented:
        lines.append(_("Documented edition; the date is announced each year."))
    lines.append(url)
    event.add("description", "\n".join(line for line in lines if line))
    if record.locality:
        event.add("location", f"{record.locality}, {record.place_label}")
    return event


def calendar_ics(request):
    """/calendar.ics?year=YYYY: a year's occurrences as all-day events (this year by default)."""
    text = request.GET.get("year", "")
    if not text:
        year = festival_calendar.today().year
    elif text.isascii() and text.isdigit() and int(text) in YEARS:
        year = int(text)
    else:
        message = _("The year must be a whole number from %(first)s to %(last)s.") % {
            "first": YEARS[0],
            "last": YEARS[-1],
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Festivals and Customs Archive//festival calendar//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", _("Festival calendar") + f" {year}")
    feed.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    visible = visible_records_in_language(request)
    for occurrence in festival_calendar.year_occurrences(visible, year):
        feed.add_component(_event(occurrence, request))
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="festivals-{year}.ics"'
    return response
