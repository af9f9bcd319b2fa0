"""The archive owns the links from people and festival editions to media, and edits them."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset

from heritage.models import FestivalEdition, FestivalPage, Person
from media_pipeline.models import MediaAsset
from tests.factories import make_record
from tests.heritage.test_curation import festival_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "a@example.org", "pw")


@pytest.fixture
def assets(db):
    return [
        MediaAsset.objects.create(title=title, file=f"masters/{title}.mp4")
        for title in ("Ném còn", "Kéo co")
    ]


def test_an_officer_names_the_media_of_a_festival_edition(client, archive, superuser, assets):
    page = make_record("Lễ hội Lồng Tồng")
    client.force_login(superuser)
    form = festival_form(
        slug=page.slug,
        editions=inline_formset([{"year": 2024, "place": "Xã Phù Lưu"}]),
        **{"action-publish": "Publish"},
    )
    form["editions-0-media_assets"] = [assets[0].pk]  # nested_form_data would split a list
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    assert response.status_code == 302, response.context["form"].errors

    edition = FestivalEdition.objects.get(page=page)
    assert list(edition.media_assets.all()) == [assets[0]]
    assert list(assets[0].festival_editions.all()) == [edition]
    # The link is part of the revision too: the editor's draft keeps it.
    draft = FestivalPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [list(e.media_assets.all()) for e in draft.editions.all()] == [[assets[0]]]
    # The edit form shows it again.
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert f'value="{assets[0].pk}" selected' in html


def test_an_officer_names_the_media_a_person_appears_in(client, superuser, assets):
    person = Person.objects.create(name="Nông Thị Hoa", role="musician")
    client.force_login(superuser)
    url = reverse("wagtailsnippets_heritage_person:edit", args=[person.pk])
    response = client.post(
        url, {"name": person.name, "role": person.role, "media_assets": [a.pk for a in assets]}
    )
    assert response.status_code == 302
    assert set(person.media_assets.all()) == set(assets)
    assert set(assets[1].people.all()) == {person}


def test_a_row_added_but_not_yet_chosen_is_left_out_not_an_error(client, superuser, assets):
    """As the browser posts it (autosave included) the moment the officer clicks "Add media"."""
    page = make_record("Lễ hội Lồng Tồng")
    client.force_login(superuser)
    rows = [{"asset": assets[0].pk, "caption": "Ném còn"}, {"asset": "", "caption": ""}]
    form = festival_form(
        slug=page.slug,
        media_links=inline_formset(rows),
        participants=inline_formset([{"person": "", "role": ""}]),
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    draft = FestivalPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [link.asset for link in draft.media_links.all()] == [assets[0]]
    assert list(draft.participants.all()) == []

    # A row with a caption typed but no media chosen is an error: the caption is not lost.
    rows[1]["caption"] = "Kéo co"
    form = festival_form(slug=page.slug, media_links=inline_formset(rows))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    assert response.status_code == 200
    assert 'value="Kéo co"' in response.content.decode()
