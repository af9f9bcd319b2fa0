"""The search page, the JSON API and suggestions, through the test client."""

import json

import pytest
from django.contrib.auth.models import Group, User

from heritage.access import Access
from heritage.models import EthnicGroup, Province
from search import documents
from search.models import RecordSearchDocument
from tests.factories import make_record

HOSTILE = [
    '"',
    '"lễ hội',
    "\\",
    "\\\\\"'",
    "*",
    "lễ*",
    "title:x",
    "a\x00b",
    "\x00",
    "x" * 10_000,
    "lễ hội " * 600,
    "🎉🐃 trâu",
    "NEAR(a b)",
    "a AND OR NOT",
    "'; DROP TABLE x; --",
    "{title_exact}: x",
    "^a -b +c ~d",
    "(((",
    "':*",
    '"' * 300,
    "'\"" * 150,
    "\"lễ\" 'hội' \"'",
]


@pytest.fixture
def records(archive):
    public = make_record(
        "Lễ hội đâm trâu",
        groups=("Ba Na",),
        province="Gia Lai",
        summary="Lễ hội của người Ba Na, tạ ơn thần linh. Có cồng chiêng.",
        lunar_month=3,
    )
    second = make_record(
        "Lễ cúng bến nước",
        groups=("Ê Đê",),
        province="Đắk Lắk",
        summary="Lễ cúng Yang bến nước của buôn làng Ê Đê, có cồng chiêng.",
        lunar_month=2,
    )
    third = make_record(
        "Lễ hội Lồng Tồng",
        groups=("Tày",),
        province="Tuyên Quang",
        summary="Lễ hội xuống đồng, có cồng chiêng.",
        kind="custom",
        lunar_month=1,
    )
    secret = make_record(
        "Lễ bí mật cồng chiêng zyxwu",
        groups=("Gia Rai",),
        province="Gia Lai",
        summary="Nghi lễ kín quokkasecret, cồng chiêng thiêng.",
        access=Access.RESTRICTED,
        lunar_month=7,
    )
    documents.rebuild()
    return {"public": public, "second": second, "third": third, "secret": secret}


@pytest.fixture
def officer(db):
    return User.objects.create_superuser("officer", "o@example.org", "pw")


def get_json(client, url, **params):
    response = client.get(url, params)
    return response, (json.loads(response.content) if response.content else None)


@pytest.mark.django_db
def test_api_counts_and_facets_over_the_whole_set(client, records):
    response, data = get_json(client, "/api/search/", q="cong chieng", page_size=1)
    assert response.status_code == 200
    assert data["count"] == 3
    assert len(data["results"]) == 1
    hit = data["results"][0]
    assert set(hit) >= {"record_id", "title", "url", "kind", "ethnic_groups", "province", "snippet"}
    provinces = {f["label"]: f["count"] for f in data["facets"]["province"]}
    assert provinces == {"Gia Lai": 1, "Đắk Lắk": 1, "Tuyên Quang": 1}
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds == {"festival": 2, "custom": 1}
    months = {f["value"]: f["count"] for f in data["facets"]["lunar_month"]}
    assert months == {1: 1, 2: 1, 3: 1}
    groups = {f["label"]: f["count"] for f in data["facets"]["ethnic_group"]}
    assert groups == {"Ba Na": 1, "Ê Đê": 1, "Tày": 1}


@pytest.mark.django_db
def test_api_facet_filters(client, records):
    gia_lai = Province.objects.get(name_vi="Gia Lai")
    _, data = get_json(client, "/api/search/", q="cong chieng", province=gia_lai.pk)
    assert [r["title"] for r in data["results"]] == ["Lễ hội đâm trâu"]
    tay = EthnicGroup.objects.get(name_vi="Tày")
    _, data = get_json(client, "/api/search/", q="cong chieng", ethnic_group=tay.pk)
    assert data["count"] == 1
    _, data = get_json(client, "/api/search/", q="cong chieng", kind="custom")
    assert data["count"] == 1
    _, data = get_json(client, "/api/search/", q="cong chieng", lunar_month=[2, 3])
    assert data["count"] == 2


@pytest.mark.django_db
def test_api_page_size_is_capped(client, records):
    _, data = get_json(client, "/api/search/", q="le", page_size=500)
    assert data["page_size"] == 50


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "page": "abc"},
        {"q": "x", "page": "0"},
        {"q": "x", "page_size": "-1"},
        {"q": "x", "page_size": "many"},
        {"q": "x", "province": "Gia Lai"},
        {"q": "x", "ethnic_group": "1; drop"},
        {"q": "x", "lunar_month": "13"},
        {"q": "x", "kind": "temple"},
        {"q": "x", "media": "hologram"},
        {"q": "x", "lang": "fr"},
        {"q": "x", "sort": "random"},
        {"q": "x", "page": "9" * 30},
    ],
)
@pytest.mark.django_db
def test_api_malformed_parameters_get_400(client, params):
    response, data = get_json(client, "/api/search/", **params)
    assert response.status_code == 400
    assert data["error"]


@pytest.mark.django_db
def test_hostile_queries_never_fail(client, records, no_tracebacks):
    for query in HOSTILE:
        response, data = get_json(client, "/api/search/", q=query)
        assert response.status_code == 200, query
        assert "count" in data
        assert client.get("/search/", {"q": query}).status_code == 200, query
        assert client.get("/api/search/suggest/", {"q": query}).status_code == 200, query


@pytest.mark.django_db
def test_restricted_record_hidden_from_anonymous_everywhere(client, records):
    _, data = get_json(client, "/api/search/", q="cong chieng")
    assert data["count"] == 3
    body = json.dumps(data, ensure_ascii=False)
    assert "bí mật" not in body and "quokkasecret" not in body
    assert "Gia Rai" not in {f["label"] for f in data["facets"]["ethnic_group"]}
    assert 7 not in {f["value"] for f in data["facets"]["lunar_month"]}
    _, data = get_json(client, "/api/search/", q="quokkasecret")
    assert data["count"] == 0 and data["results"] == []
    assert data["corrected_query"] is None
    _, data = get_json(client, "/api/search/suggest/", q="Lễ bí")
    assert data["suggestions"] == []
    page = client.get("/search/", {"q": "zyxwu"}).content.decode()
    assert "bí mật" not in page and "zyxwu" in page  # only the echo of the query


@pytest.mark.django_db
def test_restricted_record_shown_to_officers_and_allowed_groups(client, records, officer):
    client.force_login(officer)
    _, data = get_json(client, "/api/search/", q="cong chieng")
    assert data["count"] == 4
    _, data = get_json(client, "/api/search/", q="quokkasecret")
    assert data["count"] == 1 and "quokkasecret" in data["results"][0]["snippet"]
    _, data = get_json(client, "/api/search/suggest/", q="Lễ bí")
    assert len(data["suggestions"]) == 1

    community = Group.objects.create(name="Làng Plei")
    secret = records["secret"]
    secret.allowed_groups.set([community])
    secret.save_revision().publish()
    member = User.objects.create_user("member", password="pw")
    member.groups.add(community)
    client.force_login(member)
    _, data = get_json(client, "/api/search/", q="quokkasecret")
    assert data["count"] == 1


@pytest.mark.django_db
def test_search_page_renders_results_facets_and_snippets(client, records):
    response = client.get("/search/", {"q": "thần linh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lễ hội đâm trâu" in html
    assert "<mark>" in html
    assert 'class="facets"' in html
    assert "css/search.css" in html


@pytest.mark.django_db
def test_search_page_in_english_and_no_results_help(client, records):
    response = client.get("/en/search/", {"q": "nonexistentwordqq"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No records found" in html
    assert client.get("/search/").status_code == 200


@pytest.mark.django_db
def test_results_in_visitor_language_one_per_record(client, records):
    from wagtail.models import Locale

    page = records["public"].specific
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.title = "Buffalo stabbing festival"
    translation.summary = "A buffalo is sacrificed to thank the spirits."
    translation.save_revision().publish()
    documents.index_record(page.record_id)
    _, data = get_json(client, "/en/api/search/", q="buffalo sacrifice")
    assert [r["title"] for r in data["results"]] == ["Buffalo stabbing festival"]
    _, data = get_json(client, "/api/search/", q="buffalo sacrifice", lang="vi")
    assert [r["title"] for r in data["results"]] == ["Lễ hội đâm trâu"]
    _, data = get_json(client, "/en/api/search/", q="đâm trâu")
    assert data["count"] == 1
    assert data["results"][0]["record_id"] == page.record_id
    # Group names are in both translations: one result, both languages counted.
    _, data = get_json(client, "/en/api/search/", q="Ba Na")
    assert data["count"] == 1
    languages = {f["value"]: f["count"] for f in data["facets"]["language"]}
    assert languages == {"vi": 1, "en": 1}


@pytest.mark.django_db
def test_suggestions(client, records):
    _, data = get_json(client, "/api/search/suggest/", q="lồng t")
    assert [s["title"] for s in data["suggestions"]] == ["Lễ hội Lồng Tồng"]
    _, data = get_json(client, "/api/search/suggest/", q="")
    assert data["suggestions"] == []


@pytest.mark.django_db
def test_misspelling_is_corrected(client, records):
    _, data = get_json(client, "/api/search/", q="chiengg")
    assert data["count"] == 3
    assert data["corrected_query"] == "chieng"


@pytest.mark.django_db
def test_index_follows_publish_unpublish_delete_via_tasks(
    archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_record("Lễ hội Gầu Tào", groups=("H'Mông",), province="Lào Cai")
    assert RecordSearchDocument.objects.filter(page=page).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not RecordSearchDocument.objects.filter(record_id=page.record_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert RecordSearchDocument.objects.filter(record_id=page.record_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert not RecordSearchDocument.objects.filter(record_id=page.record_id).exists()


@pytest.mark.django_db
def test_index_tasks_wait_for_commit(archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = make_record("Lễ hội Gầu Tào", groups=("H'Mông",), province="Lào Cai")
    assert not RecordSearchDocument.objects.filter(page=page).exists()
    assert callbacks  # the index work (ours and the Wagtail index) waits for the commit


@pytest.mark.django_db
def test_rebuild_search_index_command(records):
    from io import StringIO

    from django.core.management import call_command

    RecordSearchDocument.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 4 pages of 4 records" in out.getvalue()
    assert RecordSearchDocument.objects.count() == 4
