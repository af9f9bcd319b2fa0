"""Consent is the archive's: withdrawing or expiring it hides the person's media at once."""

import datetime

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from heritage.models import Consent, Person
from media_pipeline.ingest import ingest_file
from search.models import MediaFlag, RecordSearchDocument
from tests.media_pipeline.helpers import link_to_public_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_audio(archive, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["wav"]).asset
    link_to_public_record(asset)
    person = Person.objects.create(name="Bà Hoàng Thị Then", role="musician")
    consent = Consent.objects.create(
        person=person,
        granted_by="herself",
        covers_public_display=True,
        granted_on=datetime.date(2024, 1, 1),
    )
    asset.people.add(person)
    asset.refresh_from_db()
    return asset, consent


def test_consent_withdrawal_hides_the_file_at_once(client, public_audio):
    asset, consent = public_audio
    url = asset.rendition("audio-aac").url
    assert client.get(url).status_code == 200
    consent.withdrawn_on = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        consent.save()
    assert client.get(url).status_code == 404
    asset.refresh_from_db()
    # The token changed too: a URL cached anywhere now points nowhere.
    assert asset.rendition("audio-aac").url != url


def test_expire_consents_is_idempotent(client, public_audio, capsys):
    asset, consent = public_audio
    url = asset.rendition("audio-aac").url
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Consent.objects.filter(pk=consent.pk).update(expires_on=yesterday)  # no signal: time passed
    assert client.get(url).status_code == 404  # the access rule already hides it
    call_command("expire_consents")
    assert "1 media hidden" in capsys.readouterr().out
    asset.refresh_from_db()
    assert asset.rendition("audio-aac").url != url
    call_command("expire_consents")
    assert "0 people" in capsys.readouterr().out


def test_withdrawal_takes_the_media_out_of_the_record_facet(public_audio):
    asset, consent = public_audio
    page = asset.record_links.get().page.specific
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()
    assert RecordSearchDocument.objects.get(page=page).media_types == MediaFlag.AUDIO
    consent.withdrawn_on = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        consent.save()
    assert RecordSearchDocument.objects.get(page=page).media_types == 0
