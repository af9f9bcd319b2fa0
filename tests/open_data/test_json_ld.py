"""Every public record page tells search engines what it is, in schema.org JSON-LD."""

import extruct
import pytest

from heritage.access import Access
from heritage.demo import demo_record_id
from heritage.models import RecordPage

RESTRICTED_KEY = "cap-sac-bi-truyen"


def json_ld(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return extruct.extract(response.content.decode(), base_url=url, syntaxes=["json-ld"])["json-ld"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_public_record_page_is_an_event_or_creative_work(demo_archive, db, client, language):
    pages = RecordPage.objects.filter(
        live=True, access=Access.PUBLIC, locale__language_code=language
    )
    assert pages.exists()
    for page in pages:
        items = [
            item
            for item in json_ld(client, page.url)
            if item.get("@type") in ("Event", "CreativeWork")
        ]
        assert len(items) == 1, page.url
        item = items[0]
        assert item["name"] == page.title
        assert item["url"].endswith(page.url)
        assert item["license"] == page.licence
        place = item.get("location") or item.get("contentLocation")
        assert place and place["@type"] == "Place" and place["name"], page.url
        assert place["address"]["addressCountry"] == "VN"


def test_a_restricted_record_has_no_json_ld(demo_archive, db, client, django_user_model):
    officer = django_user_model.objects.create_superuser("officer-ld", password="x")  # noqa: S106
    client.force_login(officer)
    page = RecordPage.objects.get(
        record_id=demo_record_id(RESTRICTED_KEY), locale__language_code="vi"
    )
    assert json_ld(client, page.url) == []
