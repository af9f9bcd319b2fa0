"""The RQ path against the real Redis: a job through a burst worker, and an outage."""

import pytest
import redis
from django.test import TestCase

from media_pipeline import jobs
from media_pipeline.ingest import ingest_file
from media_pipeline.models import JobState
from tests.services import redis_url

pytestmark = pytest.mark.django_db
REDIS_URL = redis_url(1)
CLOSED_URL = "redis://127.0.0.1:1/15"  # nothing listens on port 1


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        return False


if not _redis_up():  # pragma: no cover - environment guard
    pytest.skip("Redis is not running on 127.0.0.1:6379", allow_module_level=True)


def use_rq(settings, url):
    """What REDIS_URL does in settings, for this test only."""
    settings.TASKS = {
        "default": {
            "BACKEND": "media_pipeline.task_backend.ResilientRQBackend",
            "QUEUES": ["default"],
        }
    }
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}


@pytest.fixture
def clean_redis():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


def run_burst_worker():
    """``rqworker --burst --job-class django_tasks_rq.Job``, in this process so it
    shares the test's database transaction (a forking worker could not see it)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    return worker.work(burst=True)


def test_job_runs_through_an_rq_worker(settings, clean_redis, work_dirs, tiny):
    use_rq(settings, REDIS_URL)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = ingest_file(tiny["wav"]).job
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.delivered_at and job.task_result_id
    assert run_burst_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.asset.renditions.filter(name="audio-aac").exists()


def test_redis_outage_at_enqueue_loses_no_job(settings, clean_redis, work_dirs, tiny):
    use_rq(settings, CLOSED_URL)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = ingest_file(tiny["wav"])  # does not raise: the row is the truth
    job = result.job
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.delivered_at is None
    assert jobs.sweep()["undelivered"] == 1  # still down

    use_rq(settings, REDIS_URL)  # Redis is back
    assert jobs.sweep()["delivered"] == 1
    assert run_burst_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert jobs.sweep() == {"requeued": 0, "failed": 0, "delivered": 0, "undelivered": 0}
