"""The calendar page, the home page's lunar month and the iCalendar feed, as visitors get them."""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale

from heritage import festival_calendar
from heritage.access import Access
from heritage.lunar_calendar import lunar_date
from heritage.models import FestivalEdition
from heritage.models.records import Recurrence, TimingKind
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def english(record, title):
    page = record.copy_for_translation(Locale.objects.get(language_code="en"))
    page.title = title
    page.slug = f"en-{record.slug}"
    page.save_revision().publish()
    return page


@pytest.fixture
def long_tong(archive):
    record = make_record("Lễ hội Lồng Tồng", province="Lạng Sơn", lunar_month=1, lunar_day=8)
    english(record, "Lồng Tồng Festival")
    return record


@pytest.fixture
def restricted(archive):
    return make_record(
        "Lễ cúng rừng kín",
        province="Lạng Sơn",
        lunar_month=1,
        lunar_day=10,
        access=Access.RESTRICTED,
    )


def test_month_page_in_vietnamese(client, long_tong):
    response = client.get("/calendar/2026/2/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lịch lễ hội" in body and "Tháng 2 năm 2026" in body
    assert "Tháng Chạp năm Ất Tỵ" in body and "Tháng Giêng năm Bính Ngọ" in body
    assert f'href="{long_tong.url}"' in body
    assert "Thứ Ba, 24/2/2026" in body and "Mùng 8 tháng Giêng (âm lịch)" in body
    assert 'href="/calendar/2026/1/"' in body and 'href="/calendar/2026/3/"' in body
    assert 'href="/calendar.ics?year=2026"' in body


def test_month_page_in_english(client, long_tong):
    body = client.get("/en/calendar/2026/2/").content.decode()
    assert "Festival calendar" in body and "February 2026" in body
    assert "1st lunar month of Bính Ngọ (2026)" in body
    assert "Lồng Tồng Festival" in body and "Lễ hội Lồng Tồng" not in body
    assert "Tuesday 24 February 2026" in body and "8th day of the 1st lunar month" in body
    assert 'href="/en/calendar/2026/3/"' in body


def test_calendar_without_a_month_shows_this_month_in_vietnam(client, archive):
    today = festival_calendar.today()
    body = client.get("/calendar/").content.decode()
    assert f"Tháng {today.month} năm {today.year}" in body


@pytest.mark.parametrize("path", ["/calendar/1899/12/", "/calendar/2101/1/", "/calendar/2026/13/"])
def test_months_outside_the_calendar_are_not_found(client, archive, path):
    assert client.get(path).status_code == 404


def test_the_first_and_last_months_have_no_link_beyond(client, archive):
    first = client.get("/calendar/1900/1/").content.decode()
    last = client.get("/calendar/2100/12/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_restricted_records_never_appear(client, django_user_model, long_tong, restricted):
    for path in ["/calendar/2026/2/", "/", "/calendar.ics?year=2026"]:
        body = client.get(path).content.decode()
        assert "Lễ cúng rừng kín" not in body, path
    # Their own community sees them, as everywhere else.
    community = Group.objects.create(name="Cộng đồng bản Nà Hin")
    restricted.allowed_groups.add(community)
    restricted.save_revision().publish()
    member = django_user_model.objects.create_user("member", password="x")
    member.groups.add(community)
    client.force_login(member)
    assert "Lễ cúng rừng kín" in client.get("/calendar/2026/2/").content.decode()


def test_unpublished_records_never_appear(client, archive):
    make_record("Lễ hội chưa duyệt", province="Lạng Sơn", lunar_month=1, lunar_day=8, publish=False)
    assert "Lễ hội chưa duyệt" not in client.get("/calendar/2026/2/").content.decode()


def many_records(count):
    for number in range(count):
        record = make_record(
            f"Lễ hội số {number}",
            province="Lạng Sơn",
            lunar_month=1 + number % 2,
            lunar_day=None if number % 3 == 0 else 5 + number,
            timing_kind=TimingKind.ANNOUNCED if number % 4 == 0 else TimingKind.LUNAR,
        )
        record.editions.add(FestivalEdition(year=2026, start_date=datetime.date(2026, 2, 3)))
        record.save_revision().publish()


@pytest.mark.parametrize("path", ["/calendar/2026/2/", "/en/calendar/2026/2/", "/calendar.ics"])
def test_queries_do_not_grow_with_the_records(client, long_tong, django_assert_num_queries, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    many_records(8)
    with django_assert_num_queries(len(one)):
        assert client.get(path).status_code == 200


def test_home_page_shows_this_lunar_month(client, archive):
    lunar = lunar_date(festival_calendar.today())
    make_record(
        "Lễ hội trong tháng này",
        province="Lạng Sơn",
        lunar_month=lunar.month,
        lunar_day=lunar.day,
        lunar_leap=lunar.leap,
    )
    make_record(
        "Lễ hội cả tháng", province="Lạng Sơn", lunar_month=lunar.month, lunar_leap=lunar.leap
    )
    body = client.get("/").content.decode()
    assert "Tháng âm lịch này" in body
    assert "Lễ hội trong tháng này" in body and "Lễ hội cả tháng" in body
    assert 'href="/calendar/"' in body


def feed(client, year="2026"):
    response = client.get("/calendar.ics", {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content, icalendar.Calendar.from_ical(response.content)


def test_ics_feed_has_all_day_events_linking_to_records(client, long_tong):
    every_three = make_record(
        "Lễ hội ba năm",
        province="Lạng Sơn",
        lunar_month=3,
        lunar_day=3,
        recurrence=Recurrence.PERIODIC,
        recurrence_years=3,
        reference_year=2025,
    )
    raw, parsed = feed(client)
    events = parsed.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Lễ hội Lồng Tồng"]
    (event,) = events
    assert b"DTSTART;VALUE=DATE:20260224" in raw and b"DTEND;VALUE=DATE:20260225" in raw
    assert event.decoded("dtstart") == datetime.date(2026, 2, 24)
    assert str(event["url"]) == f"http://testserver{long_tong.url}"
    assert f"http://testserver{long_tong.url}" in str(event["description"])
    assert str(event["uid"]) == f"{long_tong.record_id}-2026-vi@testserver"
    _raw, again = feed(client)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(event["uid"])]
    _raw, in_2028 = feed(client, "2028")
    assert {str(e["summary"]) for e in in_2028.walk("VEVENT")} == {
        every_three.title,
        "Lễ hội Lồng Tồng",
    }


def test_ics_feed_in_english_links_to_english_pages(client, long_tong):
    response = client.get("/en/calendar.ics", {"year": "2026"})
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Lồng Tồng Festival"
    assert str(event["url"]).startswith("http://testserver/en/")


def test_ics_feed_has_documented_editions_of_announced_festivals(client, archive):
    kate = make_record("Lễ hội Katê", province="Lạng Sơn", timing_kind=TimingKind.OTHER_CALENDAR)
    kate.editions.add(
        FestivalEdition(
            year=2024, start_date=datetime.date(2024, 10, 2), end_date=datetime.date(2024, 10, 4)
        )
    )
    kate.save_revision().publish()
    raw, parsed = feed(client, "2024")
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2024, 10, 2)
    assert event.decoded("dtend") == datetime.date(2024, 10, 5)
    assert b"DTSTART;VALUE=DATE:20241002" in raw
    body = client.get("/calendar/2024/10/").content.decode()
    assert "Ngày công bố hằng năm" in body and "Lễ hội Katê" in body


@pytest.mark.parametrize("year", ["1899", "2101", "abc", "２０２６", "2026.0", "-2026"])
def test_ics_feed_refuses_years_outside_1900_to_2100(client, archive, year):
    response = client.get("/calendar.ics", {"year": year})
    assert response.status_code == 400
    assert "1900" in response.content.decode() and "2100" in response.content.decode()


@pytest.mark.parametrize("year", ["1900", "2100"])
def test_ics_feed_covers_the_first_and_last_years(client, long_tong, year):
    _raw, parsed = feed(client, year)
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart").year == int(year)
