"""Every GET parameter of the public endpoints answers hostile values with a status below 500."""

import pytest
from django.contrib.auth import get_user_model
from django.utils.http import urlencode

from heritage.models import Person
from media_pipeline.models import MediaAsset
from search.forms import SearchForm

HOSTILE = [str(2**63), str(2**31), "-1", "0", "1\x00", "\x00", "x" * 10_000, "١٢", "1e9", " "]
SEARCH_PARAMETERS = list(SearchForm.base_fields)
ENDPOINTS = {
    "/search/": SEARCH_PARAMETERS,
    "/api/search/": SEARCH_PARAMETERS,
    "/api/search/suggest/": ["q", "lang"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_search_parameters_never_answer_500(archive, client, url):
    for name in ENDPOINTS[url]:
        for value in HOSTILE:
            response = client.get(url + "?" + urlencode({name: value, "q": "lễ hội"}))
            assert response.status_code < 500, (name, value[:30], response.status_code)
            # Repeated parameters too (the list fields take several).
            response = client.get(url + "?" + urlencode([(name, value), (name, value)]))
            assert response.status_code < 500, (name, value[:30], response.status_code)


@pytest.mark.django_db
def test_out_of_range_ids_are_a_clear_400(archive, client):
    for value in (str(2**63), str(2**31), "-1"):
        response = client.get("/api/search/?" + urlencode({"province": value}))
        assert response.status_code == 400
        assert "province" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["/r/{}/", "/files/{}/master", "/files/abc/{}"])
def test_path_parameters_never_answer_500(archive, client, template):
    for value in HOSTILE:
        for url in (template.format(value), template.format("a") + "?" + urlencode({"x": value})):
            response = client.get(url)
            assert response.status_code < 500, (url[:60], response.status_code)


ADMIN_SEARCHES = [
    ("/admin/snippets/heritage/person/", "Hoa", "Hoàng Thị Hoa"),
    ("/admin/snippets/media_pipeline/mediaasset/", "Hoa", "Tiếng hát Hoa"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "query", "found"), ADMIN_SEARCHES)
def test_admin_searches_of_people_and_media_work(
    archive, client, url, query, found, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index updates on commit
        Person.objects.create(name="Hoàng Thị Hoa", role="informant")
        Person.objects.create(name="Lò Văn Páo", role="elder")
        MediaAsset.objects.create(
            title="Tiếng hát Hoa", original_filename="hat.wav", file="masters/hat.wav"
        )
    client.force_login(get_user_model().objects.create_superuser("quan_tri", password="x"))
    response = client.get(url + "?" + urlencode({"q": query}))
    assert response.status_code == 200
    assert found in response.content.decode()
    assert "Lò Văn Páo" not in response.content.decode()
    for hostile in ("x" * 10_000, "\x00", "Lễ hội"):
        assert client.get(url + "?" + urlencode({"q": hostile})).status_code == 200
