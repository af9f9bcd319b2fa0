"""The open-data JSON API, /api/v1/: what it lists, how it pages, filters, fails and caches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from heritage.access import Access
from heritage.models import RecordPage
from open_data.records import public_records
from tests.factories import ensure_reference_data, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    ensure_reference_data()
    public = [make_record(f"Lễ hội {n}", ich_domain="social_practices") for n in range(3)]
    restricted = make_record("Lễ cúng kín", access=Access.RESTRICTED)
    draft = make_record("Lễ hội nháp", publish=False)
    return public, restricted, draft


def walk(client, url):
    """Every item of every page, following ``next``."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        url = body["next"]
        pages += 1
    return items, pages


def error_of(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_the_walk_gives_every_public_record_once_and_nothing_hidden(client, records):
    public, restricted, draft = records
    items, pages = walk(client, "/api/v1/records?limit=2")
    assert [item["record_id"] for item in items] == sorted(p.record_id for p in public)
    assert pages == 2
    first = items[0]
    assert first["title"]["vi"].startswith("Lễ hội")
    assert first["kind"] == "festival"
    assert first["ethnic_groups"][0]["name"]["vi"] == "Tày"
    assert first["permalink"].endswith(f"/r/{first['record_id']}/")
    assert first["dublin_core"]["identifier"]
    page = next(p for p in public if p.record_id == first["record_id"])
    assert first["recorded_by"] == {"vi": page.recorded_by}


def test_a_restricted_draft_or_unknown_record_answers_the_same_404(client, records):
    public, restricted, draft = records
    assert client.get(f"/api/v1/records/{public[0].record_id}").status_code == 200
    answers = [
        client.get(f"/api/v1/records/{record_id}").json()
        for record_id in (restricted.record_id, draft.record_id, "vh-nothere")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["error"]["status"] == 404


def test_a_logged_in_officer_gets_the_public_answer(client, records, django_user_model):
    public, restricted, draft = records
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))  # noqa: S106
    items, _pages = walk(client, "/api/v1/records")
    assert restricted.record_id not in {item["record_id"] for item in items}
    assert client.get(f"/api/v1/records/{restricted.record_id}").status_code == 404


def test_a_forged_cursor_is_refused(client, records):
    error = error_of(client.get("/api/v1/records", {"cursor": "eyJhZnRlciI6InoifQ:forged"}), 400)
    assert error["field"] == "cursor"
    assert error["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "parade"}, "kind"),
        ({"ethnic_group": "no-such-group"}, "ethnic_group"),
        ({"province": "atlantis"}, "province"),
        ({"ich_domain": "cooking"}, "ich_domain"),
        ({"media_type": "hologram"}, "media_type"),
        ({"language": "fr"}, "language"),
        ({"limit": "101"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(client, records, query, field):
    error = error_of(client.get("/api/v1/records", query), 400)
    assert error["field"] == field
    assert error["message"]


def test_filters_narrow_the_list(client, records):
    public, _restricted, _draft = records
    other = make_record("Tục cưới", kind="custom", groups=("Dao",), province="Lào Cai")

    def ids(query):
        return {i["record_id"] for i in client.get("/api/v1/records", query).json()["results"]}

    assert ids({"kind": "custom"}) == {other.record_id}
    assert ids({"kind": "festival"}) == {p.record_id for p in public}
    assert ids({"ethnic_group": "dao"}) == {other.record_id}
    assert ids({"province": other.province.slug}) == {other.record_id}
    assert ids({"ich_domain": "social_practices"}) == {p.record_id for p in public}


def test_a_page_costs_the_same_queries_whatever_its_size(client, records):
    for n in range(8):
        make_record(f"Hội làng {n}")
    counts = {}
    for limit in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/records", {"limit": limit}).json()
        assert len(body["results"]) == limit
        counts[limit] = len(queries)
    assert counts[10] <= counts[2], counts


def test_the_openapi_document_is_valid_and_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    for path in ("/api/v1/records", "/api/v1/records/{record_id}", "/api/v1/media",
                 "/api/v1/ethnic-groups", "/api/v1/provinces", "/api/v1/stories"):  # fmt: skip
        assert path in document["paths"]


def test_too_many_requests_are_told_when_to_come_back(client, records, settings):
    settings.OPEN_DATA_RATES = {**settings.OPEN_DATA_RATES, "api": "2/m"}
    from django.core.cache import cache

    cache.clear()
    assert client.get("/api/v1/ethnic-groups").status_code == 200
    assert client.get("/api/v1/ethnic-groups").status_code == 200
    response = client.get("/api/v1/ethnic-groups")
    assert error_of(response, 429)["code"] == "rate_limited"
    assert response["Retry-After"] == "60"
    cache.clear()


def test_any_site_may_read_the_api(client, records):
    response = client.get("/api/v1/records", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = client.get("/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_an_unchanged_answer_is_a_304(client, records):
    first = client.get("/api/v1/records")
    again = client.get("/api/v1/records", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not again.content


def test_reference_data_lists_former_provinces_with_their_current_unit(client, db):
    ensure_reference_data()
    provinces = client.get("/api/v1/provinces").json()["results"]
    former = next(p for p in provinces if not p["is_current"])
    current = next(p for p in provinces if p["slug"] == former["now_part_of"])
    assert former["slug"] in current["former_units"]
    assert len(client.get("/api/v1/ethnic-groups").json()["results"]) == 54


def test_the_demo_archive_walks_to_its_public_records(client, demo_archive):
    items, _pages = walk(client, "/api/v1/records?limit=7")
    record_ids = [item["record_id"] for item in items]
    assert len(record_ids) == len(set(record_ids))
    assert set(record_ids) == set(public_records().values_list("record_id", flat=True))
    hidden = set(
        RecordPage.objects.exclude(pk__in=public_records().values("pk")).values_list(
            "record_id", flat=True
        )
    ) - set(record_ids)
    assert hidden.isdisjoint(record_ids)
    media, _pages = walk(client, "/api/v1/media?limit=5")
    assert all(item["records"] for item in media)
    assert client.get(f"/api/v1/media/{media[0]['uuid']}").status_code == 200 if media else True
    stories = client.get("/api/v1/stories").json()["results"]
    assert set(r for s in stories for r in s["records"]) <= set(record_ids)
