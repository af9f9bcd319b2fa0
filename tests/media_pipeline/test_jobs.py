"""Job table semantics: lease takeover, retry with back-off, sweeper re-delivery."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from media_pipeline import jobs
from media_pipeline.ingest import ingest_file
from media_pipeline.models import JobState, ProcessingState, TranscodeJob
from media_pipeline.storage import private_storage
from tests.media_pipeline.helpers import storage_files_of

pytestmark = pytest.mark.django_db


def test_dead_worker_lease_is_taken_over_and_leaves_nothing_visible(work_dirs, tiny, client):
    result = ingest_file(tiny["wav"], deliver=False)
    asset, job = result.asset, result.job
    # A worker claimed the job, uploaded half its files and was killed.
    TranscodeJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        attempts=1,
        worker_id="dead-host:1:abc",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    half = f"{jobs.rendition_root(asset)}/deadbeef/audio.m4a"
    private_storage().save(half, ContentFile(b"half an mp4"))
    stale = jobs.work_root() / "job-999-999999999-x"
    stale.mkdir(parents=True)

    # Delivery to a live worker happens right away (immediate backend).
    with TestCase.captureOnCommitCallbacks(execute=True):
        counts = jobs.sweep()
    assert counts["requeued"] == 1
    job.refresh_from_db()
    asset.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert asset.state == ProcessingState.READY
    stored = storage_files_of(asset)
    assert half not in stored
    assert all(name.startswith(asset.renditions_prefix + "/") for name in stored)
    assert not stale.exists()
    assert client.get(asset.file_url("deadbeef/audio.m4a")).status_code == 404


def test_live_lease_is_not_stolen(work_dirs, tiny):
    job = ingest_file(tiny["wav"], deliver=False).job
    TranscodeJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        attempts=1,
        worker_id="busy",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    assert jobs.sweep()["requeued"] == 0
    assert jobs.claim(job.pk, "other") is None


def test_transient_failure_is_retried_with_back_off(work_dirs, tiny, monkeypatch):
    calls = []
    real = jobs.analyse_and_render

    def flaky(src, out_dir, progress):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(src, out_dir, progress)

    monkeypatch.setattr(jobs, "analyse_and_render", flaky)
    job = ingest_file(tiny["wav"], deliver=False).job
    before = timezone.now()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert "disk full" in job.error
    assert job.next_attempt_at >= before + jobs.backoff(1)
    assert job.asset.state == ProcessingState.PENDING
    # Not due yet: neither a delivery nor the sweeper may run it.
    assert jobs.claim(job.pk, "eager") is None
    assert jobs.sweep()["delivered"] == 0
    TranscodeJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert jobs.sweep()["delivered"] == 1
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2


def test_attempts_are_bounded(work_dirs, tiny, monkeypatch):
    monkeypatch.setattr(
        jobs, "analyse_and_render", lambda *a: (_ for _ in ()).throw(OSError("nope"))
    )
    job = ingest_file(tiny["wav"], deliver=False).job
    for _attempt in range(job.max_attempts):
        TranscodeJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == job.max_attempts
    assert job.asset.state == ProcessingState.FAILED
    assert jobs.claim(job.pk, "again") is None


def test_rerun_is_idempotent(work_dirs, tiny):
    result = ingest_file(tiny["wav"], deliver=False)
    jobs.run_job(result.job.pk)
    names = sorted(result.asset.renditions.values_list("name", flat=True))
    first_prefix = result.asset.__class__.objects.get(pk=result.asset.pk).renditions_prefix
    second = jobs.retry_job(result.asset, deliver=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.run_job(second.pk)
    asset = result.asset.__class__.objects.get(pk=result.asset.pk)
    assert sorted(asset.renditions.values_list("name", flat=True)) == names
    assert asset.renditions_prefix != first_prefix
    assert not any(n.startswith(first_prefix) for n in storage_files_of(asset))


def test_progress_is_recorded(work_dirs, tiny):
    job = ingest_file(tiny["video"], deliver=False).job
    seen = []
    jobs.run_job(job.pk, on_progress=seen.append)
    job.refresh_from_db()
    assert job.progress == 100.0
    assert seen == sorted(seen) and seen[-1] == 100.0 and len(seen) > 2
