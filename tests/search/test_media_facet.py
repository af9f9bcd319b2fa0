"""A record's media facet follows its media's processing, with no manual re-index."""

import json

import pytest
from django.test import TestCase

from media_pipeline.ingest import ingest_file
from media_pipeline.jobs import deliver_job
from media_pipeline.models import ProcessingState
from search.models import MediaFlag, RecordSearchDocument
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def search(client, **params):
    data = json.loads(client.get("/api/search/", {"q": "sư tử", **params}).content)
    return data["count"], {f["value"]: f["count"] for f in data["facets"]["media_type"]}


def test_video_joins_the_facet_when_the_worker_finishes_it(client, archive, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = make_record("Lễ hội Lồng Tồng", summary="Hội xuống đồng, múa sư tử.")
        result = ingest_file(
            tiny["video"], title="Múa sư tử", links={"record_ids": [page.record_id]}, deliver=False
        )
    # Linked and indexed, but still waiting for the worker: nothing to play yet.
    assert result.asset.state == ProcessingState.PENDING
    assert RecordSearchDocument.objects.get(page=page).media_types == 0
    assert search(client) == (1, {})
    assert search(client, media="video") == (0, {})

    # The worker runs the job (real ffmpeg); its success alone re-indexes the record.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert deliver_job(result.job.pk)
    result.asset.refresh_from_db()
    assert result.asset.state == ProcessingState.READY
    assert RecordSearchDocument.objects.get(page=page).media_types == MediaFlag.VIDEO
    assert search(client) == (1, {"video": 1})
    assert search(client, media="video") == (1, {"video": 1})
    assert search(client, media="audio")[0] == 0
