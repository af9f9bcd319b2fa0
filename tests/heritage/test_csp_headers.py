"""Which Content-Security-Policy each part of the site sends (the browser test checks it holds)."""

import pytest

from tests.factories import make_record


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_public_pages_allow_no_inline_code(client):
    record = make_record("Lễ hội Lồng Tồng", province="Lạng Sơn")
    policy = directives(client.get(record.url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_admin_allows_inline_scripts_but_previews_do_not(client, django_user_model):
    record = make_record("Lễ hội Lồng Tồng", province="Lạng Sơn")
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))

    admin = directives(client.get(f"/admin/pages/{record.pk}/edit/"))
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["style-src"] == ["'self'"]

    draft = client.get(f"/admin/pages/{record.pk}/view_draft/")
    assert draft.status_code == 200
    preview = directives(draft)
    assert preview["script-src"] == ["'self'"]
    assert preview["frame-ancestors"] == ["'self'"]
