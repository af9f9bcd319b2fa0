"""Elasticsearch down: search says so (SearchUnavailable), everything else keeps working."""

import logging
import socket

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from elasticsearch import BadRequestError

from heritage.models import FestivalPage
from search.elasticsearch_query import ElasticsearchSearch, SearchUnavailable
from search.query import SearchParams, parse_query, search_records, suggest_records
from tests.admin_forms import BrowserForm
from tests.factories import make_record
from tests.search.elasticsearch_fake import (  # noqa: F401
    PAGE_INDEX,
    es_settings_fixture,
    fake_es_fixture,
)


def unused_port():
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def es_down(settings):
    port = unused_port()
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [f"http://127.0.0.1:{port}"],
            "INDEX_PREFIX": "test_",
            "TIMEOUT": 2,
            "SEARCH_TIMEOUT": 2,
        }
    }
    return port


def test_search_against_a_closed_port_raises_search_unavailable_and_logs(es_down, caplog):
    with caplog.at_level(logging.ERROR, logger="search.elasticsearch_query"):
        with pytest.raises(SearchUnavailable):
            ElasticsearchSearch().search(parse_query("cồng chiêng"), SearchParams(), None)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "search.elasticsearch_query"]
    assert line.startswith(
        f"Search unavailable: Elasticsearch at http://127.0.0.1:{es_down} did not answer"
    )


@pytest.mark.django_db
def test_search_records_and_suggest_pass_search_unavailable_to_the_views(es_down):
    with pytest.raises(SearchUnavailable):
        search_records(SearchParams(q="cồng chiêng"), AnonymousUser())
    with pytest.raises(SearchUnavailable):
        suggest_records("cồng chi", AnonymousUser())


def test_a_failing_server_is_unavailable_after_one_request(fake_es, es_settings, caplog):
    fake_es.fail_status = 503
    with caplog.at_level(logging.ERROR, logger="search.elasticsearch_query"):
        with pytest.raises(SearchUnavailable):
            ElasticsearchSearch().search(parse_query("le hoi"), SearchParams(), None)
    # No retry storm: one request, then the visitor is told.
    assert [r.line for r in fake_es.requests] == [f"POST /{PAGE_INDEX}/_search"]
    assert "answered HTTP 503" in caplog.text


def test_a_bad_request_is_a_bug_not_an_outage(fake_es, es_settings):
    fake_es.fail_status = 400
    with pytest.raises(BadRequestError):
        ElasticsearchSearch().search(parse_query("le hoi"), SearchParams(), None)


@pytest.mark.django_db
def test_publishing_while_elasticsearch_is_down_still_publishes(
    archive, es_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR):
        with django_capture_on_commit_callbacks(execute=True):
            record = make_record("Lễ hội Lồng Tồng")

    assert FestivalPage.objects.get(pk=record.pk).live
    # The failed index update was logged by the index task, not raised.
    assert "Exception raised while adding" in caplog.text


@pytest.mark.django_db
def test_publishing_from_the_admin_while_elasticsearch_is_down(
    archive, es_down, client, caplog, django_capture_on_commit_callbacks
):
    record = make_record("Lễ hội Lồng Tồng", publish=False)
    client.force_login(User.objects.create_superuser("officer"))
    url = reverse("wagtailadmin_pages:edit", args=[record.pk])
    form = BrowserForm(client.get(url).content.decode())
    form.set("body-count", "0")  # the StreamField's inputs are built by JavaScript
    form.set("action-publish", "action-publish")
    data = form.data()

    with caplog.at_level(logging.ERROR):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert FestivalPage.objects.get(pk=record.pk).live
    assert "Exception raised while adding" in caplog.text


@pytest.mark.django_db
def test_search_page_and_api_say_search_is_unavailable_and_other_pages_work(
    es_down, client, archive, caplog
):
    record = make_record("Lễ hội Lồng Tồng")
    with caplog.at_level(logging.ERROR):
        page = client.get(reverse("search"), {"q": "long tong"})
        api = client.get(reverse("api_search"), {"q": "long tong"})
        suggest = client.get(reverse("api_search_suggest"), {"q": "long"})
    assert page.status_code == 200
    assert "Chức năng tìm kiếm tạm thời không hoạt động" in page.content.decode()
    assert api.status_code == 503 and api.json()["error"]
    assert suggest.status_code == 503
    assert any("Search backend unavailable" in r.getMessage() for r in caplog.records)
    assert client.get(record.url).status_code == 200
    assert client.get("/").status_code == 200
