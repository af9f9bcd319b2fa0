"""Attaching media to a record is an edit of that record: its team only, through review."""

import pytest
from django.test import TestCase
from wagtail.models import PageLogEntry

from heritage.models import RecordMedia
from media_pipeline.ingest import IngestError, ingest_file
from media_pipeline.models import MediaAsset
from media_pipeline.uploads import upload_collections
from tests.factories import make_record, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuyen_quang_record(archive):
    return make_record("Lễ hội Lồng Tồng", province="Tuyên Quang")


def attach(path, record, user):
    # Into the uploader's own collection, as the upload page stores it.
    collection = upload_collections(user).order_by("path").first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return ingest_file(
            path,
            links={"record_ids": [record.record_id]},
            user=user,
            collection=collection,
            deliver=False,
        ).asset


def test_another_provinces_officer_cannot_attach_media_to_a_record(
    archive, tuyen_quang_record, tiny, work_dirs
):
    intruder = team_member(archive["Lào Cai"], "reviewers", "laocai-reviewer")
    with pytest.raises(IngestError):
        attach(tiny["wav"], tuyen_quang_record, intruder)
    assert not RecordMedia.objects.filter(page__record_id=tuyen_quang_record.record_id).exists()
    assert not MediaAsset.objects.exists()  # the whole ingest rolled back


def test_an_editors_attachment_waits_for_review(archive, tuyen_quang_record, tiny, work_dirs):
    editor = team_member(archive["Tuyên Quang"], "editors", "tq-editor")
    asset = attach(tiny["wav"], tuyen_quang_record, editor)
    page = type(tuyen_quang_record).objects.get(pk=tuyen_quang_record.pk)
    assert not page.media_links.filter(asset=asset).exists()  # not live
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert any(link.asset_id == asset.pk for link in draft.media_links.all())
    assert PageLogEntry.objects.filter(page=page, action="wagtail.edit", user=editor).exists()


def test_a_reviewers_attachment_goes_live_and_is_logged(
    archive, tuyen_quang_record, tiny, work_dirs
):
    reviewer = team_member(archive["Tuyên Quang"], "reviewers", "tq-reviewer")
    asset = attach(tiny["wav"], tuyen_quang_record, reviewer)
    page = type(tuyen_quang_record).objects.get(pk=tuyen_quang_record.pk)
    assert page.media_links.filter(asset=asset).exists()
    assert not page.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=reviewer).exists()
