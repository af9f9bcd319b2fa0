"""How the site goes over the wire: compressed pages, static files, media headers, page cache."""

import gzip
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client, TestCase

from heritage.access import Access
from heritage.models import RecordPage
from heritage.sensitivity import COOKIE
from media_pipeline.ingest import ingest_file
from tests.factories import make_record
from tests.media_pipeline.helpers import jpeg_with_exif, link_to_public_record

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_for_browsers_that_accept_it(client, archive):
    record = make_record("Lễ hội Lồng Tồng", summary="Tóm tắt " * 50)
    response = client.get(record.url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Lễ hội Lồng Tồng" in html
    assert len(response.content) < len(html.encode()) / 2


def test_media_ranges_are_sent_as_asked_not_gzipped(client, archive, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        video = ingest_file(tiny["video"], title="Múa xòe").asset
    page = link_to_public_record(video)
    html = client.get(page.url).content.decode()
    src = re.search(r'<video[^>]* src="([^"]+)"', html).group(1)
    response = client.get(src, headers={"accept-encoding": "gzip", "range": "bytes=0-99"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response
    assert len(b"".join(response.streaming_content)) == 100


def test_public_media_are_the_same_for_everyone_no_vary_cookie(
    client, archive, work_dirs, tmp_path
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = ingest_file(jpeg_with_exif(tmp_path / "p.jpg"), title="Ném còn").asset
    page = link_to_public_record(photo)
    html = client.get(page.url).content.decode()
    url = re.search(r'<img src="(/files/[^"]+)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


# --- The anonymous page cache ------------------------------------------------


@pytest.fixture
def page_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def publish(page):
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()


def test_anonymous_pages_come_from_the_cache_without_queries(
    client, archive, page_cache, django_assert_num_queries
):
    record = make_record("Lễ hội Lồng Tồng")
    first = client.get(record.url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(record.url)
    assert again.content == first.content


def test_a_published_change_shows_at_once(client, archive, page_cache):
    record = make_record("Lễ hội Lồng Tồng", summary="Bản cũ.")
    assert "Bản cũ." in client.get(record.url).content.decode()
    home = client.get("/").content.decode()
    page = RecordPage.objects.get(pk=record.pk).specific
    page.summary = "Bản mới."
    publish(page)
    assert "Bản mới." in client.get(record.url).content.decode()
    assert client.get("/").content.decode() != home or "Bản mới." not in home


def test_a_restricted_record_disappears_at_once_for_visitors(client, archive, page_cache):
    record = make_record("Lễ cúng rừng")
    assert client.get(record.url).status_code == 200
    assert "Lễ cúng rừng" in client.get("/").content.decode()
    page = RecordPage.objects.get(pk=record.pk).specific
    page.access = Access.RESTRICTED
    publish(page)
    assert client.get(record.url).status_code == 404
    assert "Lễ cúng rừng" not in client.get("/").content.decode()
    assert "Lễ cúng rừng" not in client.get("/search/?q=rung").content.decode()


def test_an_unpublished_record_disappears_at_once(client, archive, page_cache):
    record = make_record("Lễ cúng rừng")
    assert client.get(record.url).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        RecordPage.objects.get(pk=record.pk).specific.unpublish()
    assert client.get(record.url).status_code == 404


def test_a_withdrawn_consent_hides_the_person_at_once(client, archive, page_cache):
    import datetime

    from heritage.models import Consent, Person, RecordParticipant

    person = Person.objects.create(name="Nông Thị Hoa", role="practitioner")
    consent = Consent.objects.create(
        person=person,
        granted_by="Nông Thị Hoa",
        covers_public_display=True,
        granted_on=datetime.date(2024, 1, 1),
    )
    record = make_record("Lễ hội Lồng Tồng")
    page = RecordPage.objects.get(pk=record.pk).specific
    page.participants.add(RecordParticipant(person=person, role="nghệ nhân"))
    publish(page)
    assert "Nông Thị Hoa" in client.get(record.url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        consent.withdrawn_on = datetime.date.today()
        consent.save()
    assert "Nông Thị Hoa" not in client.get(record.url).content.decode()


def test_officers_never_get_or_fill_the_anonymous_cache(client, archive, page_cache, officer):
    record = make_record("Lễ cúng rừng", access=Access.RESTRICTED)
    client.force_login(officer)
    assert client.get(record.url).status_code == 200
    client.logout()
    assert client.get(record.url).status_code == 404


def test_a_community_member_is_not_served_the_anonymous_page(client, archive, page_cache):
    from django.contrib.auth.models import User

    community = Group.objects.create(name="Làng Tày")
    record = make_record("Lễ cúng rừng", access=Access.RESTRICTED)
    page = RecordPage.objects.get(pk=record.pk).specific
    page.allowed_groups.add(community)
    publish(page)
    assert client.get("/").status_code == 200  # cached for anonymous visitors
    member = User.objects.create_user("member", password="x")
    member.groups.add(community)
    client.force_login(member)
    assert "Lễ cúng rừng" in client.get("/").content.decode()


def test_a_visitors_acknowledgement_never_reaches_the_next_visitor(client, archive, page_cache):
    """What one visitor agreed to see behind a sensitivity warning is not cached for others."""
    record = make_record(
        "Lễ bỏ mả",
        summary="Nội dung nhạy cảm của hồ sơ.",
        sensitivity_warning="Có hình ảnh người đã khuất.",
    )
    acknowledging = Client()
    assert acknowledging.get(record.url, {"ack": "1"}).cookies[COOKIE]
    # Their next page views, the record's bare URL first, show it; nobody else's do.
    assert "Nội dung nhạy cảm" in acknowledging.get(record.url).content.decode()
    acknowledging.get("/")
    assert "Nội dung nhạy cảm" not in client.get(record.url).content.decode()
    assert "card-gate" in client.get("/").content.decode()
    # And the gated page someone else saw first is not what they are served.
    assert "Nội dung nhạy cảm" in acknowledging.get(record.url).content.decode()
