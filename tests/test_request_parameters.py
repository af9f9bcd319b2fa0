"""Every GET parameter of the public endpoints and the admin searches answers hostile values
with a status below 500, without a traceback in the logs (``no_tracebacks``)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils.http import urlencode

from heritage.models import Person
from media_pipeline.models import MediaAsset
from search.forms import SearchForm

# Queries made of quotes, the way a pasted citation or a probe for injection arrives.
QUOTED = ['"' * 300, "'\"" * 150, '"lễ hội" "', "'; \\\"", '"lễ" \'hội\' "\'"']
HOSTILE = [
    str(2**63),
    str(2**31),
    "-1",
    "0",
    "1\x00",
    "\x00",
    "x" * 10_000,
    "١٢",
    "1e9",
    " ",
    *QUOTED,
]
SEARCH_PARAMETERS = list(SearchForm.base_fields)
ENDPOINTS = {
    "/search/": SEARCH_PARAMETERS,
    "/api/search/": SEARCH_PARAMETERS,
    "/api/search/suggest/": ["q", "lang"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_search_parameters_never_answer_500(archive, client, url, no_tracebacks):
    for name in ENDPOINTS[url]:
        for value in HOSTILE:
            response = client.get(url + "?" + urlencode({name: value, "q": "lễ hội"}))
            assert response.status_code < 500, (name, value[:30], response.status_code)
            # Repeated parameters too (the list fields take several).
            response = client.get(url + "?" + urlencode([(name, value), (name, value)]))
            assert response.status_code < 500, (name, value[:30], response.status_code)


@pytest.mark.django_db
def test_out_of_range_ids_are_a_clear_400(archive, client, no_tracebacks):
    for value in (str(2**63), str(2**31), "-1"):
        response = client.get("/api/search/?" + urlencode({"province": value}))
        assert response.status_code == 400
        assert "province" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    [
        "/r/{}/",
        "/files/{}/master",
        "/files/abc/{}",
        "/iiif/{}/manifest.json",
        "/iiif/image/{}/info.json",
        "/iiif/image/{}/full/max/0/default.jpg",
        "/iiif/image/abc/full/{}/0/default.jpg",
        "/iiif/image/abc/{}/max/0/default.jpg",
    ],
)
def test_path_parameters_never_answer_500(archive, client, template, no_tracebacks):
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
    archive, client, url, query, found, django_capture_on_commit_callbacks, no_tracebacks
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
    quoted = client.get(url + "?" + urlencode({"q": f'"{query}"'}))
    assert found in quoted.content.decode()  # quotes typed around a name change nothing
    for hostile in ("x" * 10_000, "\x00", "Lễ hội", str(2**63), *QUOTED):
        assert client.get(url + "?" + urlencode({"q": hostile})).status_code == 200, hostile


@pytest.mark.django_db
def test_wrong_passwords_are_refused_and_then_locked_out(archive, client, settings, no_tracebacks):
    get_user_model().objects.create_user("can_bo", password="mật khẩu đúng")  # noqa: S106
    wrong = ["\x00", "sai", "'\"" * 50, "x" * 10_000, "mật khẩu đúng "]
    for password in wrong:
        response = client.post("/admin/login/", {"username": "can_bo", "password": password})
        assert response.status_code == 200, password[:20]  # the form again, with its error
        assert "_auth_user_id" not in client.session
    # The form refuses the NUL before trying it: one more guess reaches the limit.
    assert settings.AXES_FAILURE_LIMIT == len(wrong)
    client.post("/admin/login/", {"username": "can_bo", "password": "MẬT KHẨU ĐÚNG"})
    response = client.post("/admin/login/", {"username": "can_bo", "password": "mật khẩu đúng"})
    assert response.status_code == 429  # locked out, even with the right password now
    assert "_auth_user_id" not in client.session
