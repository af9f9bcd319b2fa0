"""Elasticsearch learns of a record's new access right after commit, not behind the task queue."""

import json

import pytest

from heritage.access import Access
from heritage.models import RecordPage
from tests.factories import make_record
from tests.search.elasticsearch_fake import (  # noqa: F401 - fixtures
    es_settings_fixture,
    fake_es_fixture,
)


@pytest.mark.django_db
def test_restricting_a_record_sends_its_access_to_elasticsearch_on_commit(
    archive, es_settings, fake_es, settings, django_capture_on_commit_callbacks
):
    record = make_record("Lễ hội Lồng Tồng")
    # A queue that never runs: like a worker busy with a long transcode.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = RecordPage.objects.get(pk=record.pk).specific
    page.access = Access.RESTRICTED
    fake_es.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    sent = [json.dumps(r.body) for r in fake_es.requests if r.method in {"PUT", "POST"}]
    assert any('"record_access": "restricted"' in body for body in sent), sent
