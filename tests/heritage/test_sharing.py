"""What search engines and link previews read: hreflang, OpenGraph, JSON-LD, sitemap, robots.txt."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Locale

from heritage.access import Access
from heritage.models import FestivalEdition
from tests.factories import make_record

pytestmark = pytest.mark.django_db
HOST = "lehoi.example.vn"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture
def host(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    return HOST


def translate(record, title, slug, **fields):
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.slug = title, slug
    for name, value in fields.items():
        setattr(english, name, value)
    english.save_revision().publish()
    english.refresh_from_db()
    return english


def json_ld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def test_record_page_has_absolute_hreflang_links_and_x_default(client, archive, host):
    record = make_record("Lễ hội Lồng Tồng", summary="Lễ xuống đồng của người Tày.")
    english = translate(record, "Lồng Tồng Festival", "long-tong-festival")
    for page in (record, english):
        html = client.get(page.url, HTTP_HOST=host).content.decode()
        assert f'<link rel="alternate" hreflang="vi" href="http://{host}{record.url}">' in html
        assert f'<link rel="alternate" hreflang="en" href="http://{host}{english.url}">' in html
        assert f'hreflang="x-default" href="http://{host}{record.url}"' in html
        assert f'<link rel="canonical" href="http://{host}{page.url}">' in html


def test_record_page_has_a_description_and_opengraph(client, archive, host):
    record = make_record("Lễ hội Lồng Tồng", summary="Lễ xuống đồng của người Tày. " * 20)
    html = client.get(record.url, HTTP_HOST=host).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("Lễ xuống đồng") and len(description) <= 160
    assert '<meta property="og:title" content="Lễ hội Lồng Tồng">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://{host}{record.url}">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html


def test_festival_is_a_schema_org_event_and_custom_a_creative_work(client, archive, host):
    festival = make_record(
        "Lễ hội Lồng Tồng", summary="Lễ xuống đồng.", native_name="Lồng tồng", locality="Xã Tân An"
    )
    FestivalEdition.objects.create(
        page=festival, year=2024, start_date="2024-02-20", end_date="2024-02-21"
    )
    custom = make_record("Nghề dệt thổ cẩm", kind="custom", groups=("Thái",), province="Lào Cai")
    [event] = json_ld(client.get(festival.url, HTTP_HOST=host).content.decode())
    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    assert event["name"] == "Lễ hội Lồng Tồng" and event["alternateName"] == "Lồng tồng"
    assert event["url"] == f"http://{host}{festival.url}"
    assert event["startDate"] == "2024-02-20" and event["endDate"] == "2024-02-21"
    assert event["location"]["address"]["addressRegion"] == "Tuyên Quang"
    assert event["location"]["address"]["addressLocality"] == "Xã Tân An"
    assert "geo" not in event["location"]  # until heritage/geo.py sets the precision
    assert event["about"] == [{"@type": "Thing", "name": "Tày"}]
    [work] = json_ld(client.get(custom.url, HTTP_HOST=host).content.decode())
    assert work["@type"] == "CreativeWork"
    assert work["contentLocation"]["address"]["addressRegion"] == "Lào Cai"


def test_json_ld_cannot_end_its_script_element(client, archive):
    record = make_record("Lễ </script><script>alert(1)</script>", summary="a < b & c")
    html = client.get(record.url).content.decode()
    [data] = json_ld(html)
    assert data["name"] == "Lễ </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_restricted_records_have_no_json_ld_and_ask_not_to_be_indexed(client, archive, officer):
    record = make_record("Lễ cúng rừng", access=Access.RESTRICTED)
    client.force_login(officer)
    html = client.get(record.url).content.decode()
    assert "Lễ cúng rừng" in html
    assert json_ld(html) == []
    assert '<meta name="robots" content="noindex">' in html
    assert "og:title" not in html


def test_sitemap_lists_both_languages_as_alternates_on_the_requests_host(client, archive, host):
    record = make_record("Lễ hội Lồng Tồng")
    english = translate(record, "Lồng Tồng Festival", "long-tong-festival")
    hidden = make_record("Lễ cúng rừng", access=Access.RESTRICTED)
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    tree = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    entries = {
        url.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in tree.findall("s:url", SITEMAP_NS)
    }
    vi_url, en_url = f"http://{host}{record.url}", f"http://{host}{english.url}"
    assert entries[vi_url] == {"vi": vi_url, "en": en_url, "x-default": vi_url}
    assert entries[en_url] == {"vi": vi_url, "en": en_url, "x-default": vi_url}
    assert f"http://{host}/" in entries and f"http://{host}/en/" in entries
    assert all(url.startswith(f"http://{host}/") for url in entries)
    assert not any(hidden.slug in url for url in entries)
    assert "localhost" not in response.content.decode()


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_files(
    client, archive, host
):
    response = client.get("/robots.txt", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /files/" in lines
    assert f"Sitemap: http://{host}/sitemap.xml" in lines


def test_setup_archive_names_the_site_by_its_allowed_host(archive, settings):
    from wagtail.models import Site

    from heritage.curation import ensure_home_pages

    site = Site.objects.get(is_default_site=True)
    site.hostname = "localhost"
    site.save()
    settings.SITE_HOSTNAME = HOST
    ensure_home_pages()
    assert Site.objects.get(is_default_site=True).hostname == HOST
