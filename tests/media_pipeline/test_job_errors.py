"""Jobs decide retries by the error's class: timeouts and tool failures again, bad input never.

The faults are real: ffmpeg killed by a real (tiny) timeout, an ffmpeg that
is not there, a master whose MP4 index is missing.
"""

import pytest
from django.utils import timezone

from media_pipeline import jobs, transcode
from media_pipeline.ingest import ingest_file
from media_pipeline.models import JobState, ProcessingState, TranscodeJob

pytestmark = pytest.mark.django_db


def _run_again_when_due(job):
    """The retry's back-off has passed and a worker takes the job again."""
    TranscodeJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    jobs.run_job(job.pk)
    job.refresh_from_db()


def test_a_timed_out_run_is_retried_and_then_succeeds(work_dirs, tiny, monkeypatch):
    # Every ffmpeg run of this attempt is killed almost at once.
    monkeypatch.setattr(transcode, "timeout_for", lambda duration, factor=20.0: 0.001)
    job = ingest_file(tiny["wav"], deliver=False).job
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert job.asset.state == ProcessingState.PENDING
    assert job.error.startswith("Xử lý tệp này mất quá nhiều thời gian")

    monkeypatch.undo()
    _run_again_when_due(job)
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert job.asset.state == ProcessingState.READY


def test_a_missing_ffmpeg_is_retried_up_to_the_maximum(work_dirs, tiny, monkeypatch):
    monkeypatch.setenv("FFMPEG_BINARY", str(work_dirs / "no-ffmpeg-here"))
    job = ingest_file(tiny["wav"], deliver=False).job
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1
    for _attempt in range(job.max_attempts - 1):
        _run_again_when_due(job)
    assert job.state == JobState.FAILED and job.attempts == job.max_attempts
    assert job.asset.state == ProcessingState.FAILED
    assert job.error == "Máy chủ chưa cài đặt ffmpeg."


def test_bad_input_fails_at_once_with_the_officer_message(work_dirs, tiny, no_tracebacks):
    job = ingest_file(tiny["truncated"], deliver=False).job
    assert job.max_attempts > 1
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.asset.state == ProcessingState.FAILED
    # Stored in the site language, for the admin list.
    assert job.error.startswith("Tệp video này không hoàn chỉnh")
    assert job.asset.error == job.error
    assert jobs.claim(job.pk, "again") is None
