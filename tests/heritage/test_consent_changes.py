"""People and consents through the admin: one team's forms, logged changes, new grants.

The Lào Cai editor faces a Tuyên Quang informant (``tuyen_quang_informant``,
whose consent expired on 1 January 2025); the Tuyên Quang editor is her team.
"""

import datetime
import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone
from wagtail.models import ModelLogEntry

from heritage.consents import CONSENT_CHANGED
from heritage.models import Consent, Person, RecordParticipant, TeamLogEntry
from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset
from tests.factories import make_record, team_member
from tests.factories import snippet_url as url
from tests.media_pipeline.helpers import link_to_public_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def lao_cai_editor(archive):
    return team_member(archive["Lào Cai"], "editors", "laocai")


@pytest.fixture
def tuyen_quang_editor(archive):
    return team_member(archive["Tuyên Quang"], "editors", "tuyenquang")


def options(html, name):
    """The values and labels a form's <select name=...> offers."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def consent_form(consent, **changes):
    """The edit form's POST as a browser sends it: every field as shown, then the changes."""
    data = {
        "person": consent.person_id,
        "granted_by": consent.granted_by,
        "granted_on": consent.granted_on.isoformat(),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else "",
        "withdrawn_on": consent.withdrawn_on.isoformat() if consent.withdrawn_on else "",
        "withdrawal_note": consent.withdrawal_note,
    }
    for scope in ("recording", "public_display", "research"):
        if getattr(consent, f"covers_{scope}"):
            data[f"covers_{scope}"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- 1. the forms offer only the officer's own teams -----------------------------------


def test_the_person_form_offers_only_the_officers_teams_and_media(
    client, archive, lao_cai_editor, tuyen_quang_informant
):
    ours = MediaAsset.objects.create(title="Lễ cấp sắc", collection=archive["Lào Cai"].collection)
    theirs = MediaAsset.objects.create(
        title="Hát Then", collection=archive["Tuyên Quang"].collection
    )
    client.force_login(lao_cai_editor)
    html = client.get(url("person", "add")).content.decode()
    assert list(options(html, "team")) == [str(archive["Lào Cai"].pk)]
    assert list(options(html, "media_assets")) == [str(ours.pk)]

    person = {"name": "Ông Sần Văn Lử", "role": "shaman"}
    for refused in [
        {"team": archive["Tuyên Quang"].pk},
        {"team": ""},  # teamless people are for superusers only
        {"team": archive["Lào Cai"].pk, "media_assets": [theirs.pk]},
    ]:
        response = client.post(url("person", "add"), {**person, **refused})
        assert response.status_code == 200  # the form again, with its errors
        assert not Person.objects.filter(name="Ông Sần Văn Lử").exists(), refused
    assert not theirs.people.exists()  # her asset is still public, not hidden by a link

    client.post(url("person", "add"), {**person, "team": archive["Lào Cai"].pk})
    assert Person.objects.get(name="Ông Sần Văn Lử").team == archive["Lào Cai"]


def test_a_superuser_may_still_record_a_teamless_person(client, officer):
    client.force_login(officer)
    client.post(url("person", "add"), {"name": "Ông Lò Văn Pọm", "role": "elder", "team": ""})
    assert Person.objects.get(name="Ông Lò Văn Pọm").team is None


def test_the_consent_form_offers_only_people_of_the_officers_teams(
    client, archive, lao_cai_editor, tuyen_quang_informant
):
    person, _consent = tuyen_quang_informant
    ours = Person.objects.create(name="Ông Sần Văn Lử", role="shaman", team=archive["Lào Cai"])
    client.force_login(lao_cai_editor)
    assert list(options(client.get(url("consent", "add")).content.decode(), "person")) == [
        str(ours.pk)
    ]
    client.post(
        url("consent", "add"),
        {
            "person": person.pk,
            "granted_by": "x",
            "covers_public_display": "on",
            "granted_on": "2026-01-01",
        },
    )
    assert person.consents.count() == 1  # no grant made for another team's informant


# --- 2. every change is logged with who and why ----------------------------------------


def test_changing_a_consent_needs_a_reason_and_is_logged_with_it(
    client, tuyen_quang_editor, tuyen_quang_informant
):
    person, consent = tuyen_quang_informant
    client.force_login(tuyen_quang_editor)
    edit = url("consent", "edit", consent.pk)
    response = client.post(edit, consent_form(consent, granted_by="Con gái bà Then"))
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.granted_by == "Bà Ma Thị Then"  # no reason, no change

    reason = "Người ký là con gái bà, theo biên bản ngày 3/2"
    client.post(edit, consent_form(consent, granted_by="Con gái bà Then", reason=reason))
    consent.refresh_from_db()
    assert consent.granted_by == "Con gái bà Then"
    entry = TeamLogEntry.objects.for_instance(consent).get(action=CONSENT_CHANGED)
    assert entry.user == tuyen_quang_editor
    assert entry.data == {"reason": reason, "changed": ["granted_by"]}
    history = client.get(url("consent", "history", consent.pk)).content.decode()
    assert reason in history and "tuyenquang" in history
    assert reason in client.get("/admin/reports/site-history/").content.decode()


def test_creating_and_deleting_a_consent_are_logged(
    client, officer, tuyen_quang_editor, tuyen_quang_informant
):
    person, _consent = tuyen_quang_informant
    client.force_login(tuyen_quang_editor)
    client.post(
        url("consent", "add"),
        {"person": person.pk, "granted_by": "Bà Ma Thị Then", "granted_on": "2026-01-01"},
    )
    grant = person.consents.get(granted_on=datetime.date(2026, 1, 1))
    assert TeamLogEntry.objects.for_instance(grant).get(action="wagtail.create").user == (
        tuyen_quang_editor
    )
    # A consent is history: only a superuser deletes one (a mistaken entry).
    client.post(url("consent", "delete", grant.pk))
    assert Consent.objects.filter(pk=grant.pk).exists()
    client.force_login(officer)
    client.post(url("consent", "delete", grant.pk))
    assert not Consent.objects.filter(pk=grant.pk).exists()
    deleted = TeamLogEntry.objects.get(action="wagtail.delete", object_id=str(grant.pk))
    assert deleted.user == officer


def test_another_teams_officer_reads_neither_a_consents_history_nor_its_audit_log(
    client, lao_cai_editor, tuyen_quang_editor, tuyen_quang_informant
):
    _person, consent = tuyen_quang_informant
    client.force_login(tuyen_quang_editor)
    client.post(
        url("consent", "edit", consent.pk),
        consent_form(consent, granted_by="Con gái bà", reason="Gọi số 0912 345 678 để xác minh"),
    )
    client.force_login(lao_cai_editor)
    response = client.get(url("consent", "history", consent.pk), follow=True)
    assert "0912 345 678" not in response.content.decode()
    assert response.redirect_chain  # refused, back to the dashboard
    site_history = client.get("/admin/reports/site-history/").content.decode()
    assert "0912 345 678" not in site_history and "Ma Thị Then" not in site_history


# --- 3. extending a lapsed consent is a new grant ----------------------------------------


@pytest.mark.parametrize(
    "extension",
    [
        {"expires_on": "2099-01-01"},
        {"expires_on": ""},
        {"covers_research": "on"},
    ],
    ids=["later expiry", "no expiry", "new scope"],
)
def test_an_expired_consent_cannot_be_extended(
    client, tuyen_quang_editor, tuyen_quang_informant, extension
):
    person, consent = tuyen_quang_informant
    client.force_login(tuyen_quang_editor)
    response = client.post(
        url("consent", "edit", consent.pk),
        consent_form(consent, reason="Bà đồng ý gia hạn", **extension),
    )
    html = response.content.decode()
    assert "Record a new grant instead." in html or "Hãy ghi một lần đồng ý mới." in html
    assert f'href="{url("consent", "add")}?person={person.pk}"' in html
    consent.refresh_from_db()
    assert consent.expires_on == datetime.date(2025, 1, 1)
    assert not consent.covers_research
    assert not TeamLogEntry.objects.for_instance(consent).filter(action=CONSENT_CHANGED).exists()


def test_a_withdrawn_consent_cannot_be_unwithdrawn_but_its_typos_can_be_fixed(
    client, tuyen_quang_editor, tuyen_quang_informant
):
    person, consent = tuyen_quang_informant
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=None, withdrawn_on=timezone.localdate(), withdrawal_note="Ba rút lại"
    )
    consent.refresh_from_db()
    client.force_login(tuyen_quang_editor)
    edit = url("consent", "edit", consent.pk)
    client.post(edit, consent_form(consent, withdrawn_on="", reason="Nhầm"))
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()

    client.post(
        edit, consent_form(consent, withdrawal_note="Bà rút lại", reason="Sửa lỗi chính tả")
    )
    consent.refresh_from_db()
    assert consent.withdrawal_note == "Bà rút lại"
    entry = TeamLogEntry.objects.for_instance(consent).get(action=CONSENT_CHANGED)
    assert entry.data == {"reason": "Sửa lỗi chính tả", "changed": ["withdrawal_note"]}


def test_a_new_grant_makes_the_media_public_again_and_keeps_the_old_consent(
    client, archive, tuyen_quang_editor, tuyen_quang_informant, work_dirs, tiny
):
    person, expired = tuyen_quang_informant
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["wav"], collection=archive["Tuyên Quang"].collection).asset
    link_to_public_record(asset)
    asset.people.add(person)
    asset.refresh_from_db()
    audio = asset.rendition("audio-aac").url
    assert client.get(audio).status_code == 404  # her consent expired

    client.force_login(tuyen_quang_editor)
    new_grant = client.get(url("consent", "add"), {"person": person.pk}).content.decode()
    assert re.search(rf'<option value="{person.pk}"[^>]*selected', new_grant)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            url("consent", "add"),
            {
                "person": person.pk,
                "granted_by": "Bà Ma Thị Then",
                "covers_recording": "on",
                "covers_public_display": "on",
                "granted_on": timezone.localdate().isoformat(),
                "expires_on": "2030-01-01",
            },
        )
    assert person.consents.count() == 2
    expired.refresh_from_db()
    assert expired.expires_on == datetime.date(2025, 1, 1)  # the old one stays as history
    client.logout()
    assert client.get(audio).status_code == 200


# --- 4. informants' details and signed forms stay with their team ---------------------------


@pytest.fixture
def signed_consent(tuyen_quang_informant):
    _person, consent = tuyen_quang_informant
    consent.signed_form.save("bien-ban-ma-thi-then.pdf", ContentFile(b"%PDF-1.4 signed"))
    return consent


def test_a_signed_form_downloads_only_for_the_persons_team(
    client, lao_cai_editor, tuyen_quang_editor, signed_consent
):
    download = f"/admin/consents/{signed_consent.pk}/signed-form/"
    client.force_login(tuyen_quang_editor)
    html = client.get(url("consent", "edit", signed_consent.pk)).content.decode()
    assert f'href="{download}"' in html
    assert signed_consent.signed_form.url not in html  # the storage's own URL serves nothing
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"

    client.force_login(lao_cai_editor)
    refused = client.get(download)
    assert refused.status_code == 302 and not refused.get("Content-Disposition")
    client.logout()
    assert client.get(download)["Location"].startswith("/admin/login/")


def test_another_provinces_officer_sees_people_on_a_record_but_not_their_details(
    client, lao_cai_editor, tuyen_quang_editor, tuyen_quang_informant
):
    person, _consent = tuyen_quang_informant
    record = make_record("Lễ hội Lồng Tồng")
    RecordParticipant.objects.create(page=record, person=person, role="Người kể")
    client.force_login(lao_cai_editor)
    html = client.get(record.url).content.decode()
    assert "Ma Thị Then" in html
    assert "1948" not in html and "Nà Héc" not in html
    client.force_login(tuyen_quang_editor)
    html = client.get(record.url).content.decode()
    assert "1948" in html and "Nà Héc" in html


def test_earlier_log_entries_of_people_and_consents_move_to_their_teams_log(
    archive, tuyen_quang_informant
):
    from django.apps import apps

    migration = importlib.import_module("heritage.migrations.0009_people_and_consents_log")
    person, consent = tuyen_quang_informant
    ModelLogEntry.objects.log_action(consent, "wagtail.edit")
    ModelLogEntry.objects.log_action(person, "wagtail.create")
    migration.move_people_log(apps, None)
    people_types = {
        "content_type__app_label": "heritage",
        "content_type__model__in": migration.LOGGED,
    }
    assert not ModelLogEntry.objects.filter(**people_types).exists()
    assert TeamLogEntry.objects.for_instance(consent).get().team == archive["Tuyên Quang"]
    assert TeamLogEntry.objects.for_instance(person).get().action == "wagtail.create"
