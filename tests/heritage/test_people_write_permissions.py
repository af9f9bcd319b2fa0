"""People and consents belong to the team that documented them, tried through the admin."""

import datetime

import pytest

from tests.factories import snippet_url as url
from tests.factories import team_member

pytestmark = pytest.mark.django_db


def test_another_provinces_officer_neither_sees_nor_changes_a_person(
    client, archive, tuyen_quang_informant
):
    person, consent = tuyen_quang_informant
    client.force_login(team_member(archive["Lào Cai"], "editors", "laocai"))
    listing = client.get(url("person", "list")).content.decode()
    assert "Ma Thị Then" not in listing
    assert client.get(url("person", "edit", person.pk)).status_code != 200
    client.post(url("person", "edit", person.pk), {"name": "X", "role": "informant"})
    client.post(url("person", "delete", person.pk))
    person.refresh_from_db()
    assert person.name == "Bà Ma Thị Then"
    # Nor can they extend an expired consent to make withdrawn media public again.
    assert "Ma Thị Then" not in client.get(url("consent", "list")).content.decode()
    client.post(
        url("consent", "edit", consent.pk),
        {
            "person": person.pk,
            "granted_by": "x",
            "covers_public_display": "on",
            "granted_on": "2024-01-01",
            "expires_on": "2099-01-01",
        },
    )
    consent.refresh_from_db()
    assert consent.expires_on == datetime.date(2025, 1, 1)


def test_the_persons_own_team_sees_and_edits_them(client, archive, tuyen_quang_informant):
    person, _consent = tuyen_quang_informant
    client.force_login(team_member(archive["Tuyên Quang"], "editors", "tuyenquang"))
    assert "Ma Thị Then" in client.get(url("person", "list")).content.decode()
    response = client.get(url("person", "edit", person.pk))
    assert response.status_code == 200
    assert "0912 345 678" in response.content.decode()
