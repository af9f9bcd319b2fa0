"""Processing jobs: the job table is the truth, the task queue only delivers.

django-tasks has no retry, timeout or lease, RQ forgets results after a few
minutes and Redis may be down when a file arrives.  So a ``TranscodeJob`` row
is written in the same transaction as the asset; delivery happens after
commit and may fail; a worker *claims* the row with an atomic update and
holds a lease it renews on every progress report; ``sweep()`` re-delivers
queued jobs whose delivery was lost and running jobs whose lease expired.
Delivering a job twice is harmless: only one claim can succeed.
"""

import contextlib
import logging
import os
import secrets
import shutil
import socket
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from media_pipeline import documents, images, transcode
from media_pipeline.errors import BadMediaInput, MediaError, gettext_noop
from media_pipeline.identify import identify
from media_pipeline.ingest import title_from_filename
from media_pipeline.models import (
    EventOutcome,
    EventType,
    JobState,
    MediaAsset,
    MediaType,
    ProcessingState,
    Rendition,
    TranscodeJob,
)
from media_pipeline.preservation import migration_agent, record_event
from media_pipeline.signals import asset_processed
from media_pipeline.staging import pid_alive
from media_pipeline.storage import delete_prefix, local_path, private_storage

logger = logging.getLogger(__name__)

PROGRESS_MIN_STEP = 2.0  # percent between two progress writes
PROGRESS_MIN_SECONDS = 5.0  # ... or this many seconds


class LeaseLost(Exception):
    """Another worker took this job over (our lease expired); stop quietly."""


def lease_duration():
    return timedelta(seconds=getattr(settings, "MEDIA_JOB_LEASE_SECONDS", 300))


def redeliver_after():
    return timedelta(seconds=getattr(settings, "MEDIA_JOB_REDELIVER_SECONDS", 900))


def backoff(attempts):
    """Wait before attempt ``attempts + 1``: 30 s, 2 min, 8 min ... at most an hour."""
    base = getattr(settings, "MEDIA_JOB_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(3600, base * 4 ** max(0, attempts - 1)))


def work_root():
    root = (
        Path(getattr(settings, "MEDIA_WORK_DIR", None) or tempfile.gettempdir()) / "heritage-jobs"
    )
    root.mkdir(parents=True, exist_ok=True)
    return root


def default_worker_id():
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


# --- creating and delivering -------------------------------------------------


def create_job(asset, *, deliver=True, max_attempts=None):
    """A queued job for the asset, delivered to the task queue after commit."""
    job = TranscodeJob.objects.create(
        asset=asset,
        max_attempts=max_attempts or getattr(settings, "MEDIA_JOB_MAX_ATTEMPTS", 3),
        next_attempt_at=timezone.now(),
    )
    if asset.state != ProcessingState.PENDING:
        MediaAsset.objects.filter(pk=asset.pk).update(state=ProcessingState.PENDING)
    if deliver:
        transaction.on_commit(lambda: deliver_job(job.pk))
    return job


def delivery_errors():
    errors = [OSError]
    with contextlib.suppress(ImportError):
        from redis.exceptions import RedisError

        errors.append(RedisError)
    return tuple(errors)


def deliver_job(job_id, run_after=None):
    """Hand the job to the task backend; False (job stays queued) if that fails."""
    from media_pipeline.tasks import process_job

    task = process_job
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=run_after)
    try:
        result = task.enqueue(job_id)
    except delivery_errors() as exc:
        # Redis down or unreachable: the row stays queued for the sweeper.
        logger.warning("could not deliver job %s: %s", job_id, exc)
        return False
    TranscodeJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        delivered_at=timezone.now(), task_result_id=str(result.id)[:64]
    )
    return True


def retry_job(asset, *, deliver=True):
    """A fresh job for an asset whose processing failed (or is to be redone)."""
    with transaction.atomic():
        TranscodeJob.objects.filter(asset=asset, state=JobState.QUEUED).update(
            state=JobState.FAILED, error="superseded by a manual retry", finished_at=timezone.now()
        )
        MediaAsset.objects.filter(pk=asset.pk).update(error="")
        return create_job(asset, deliver=deliver)


# --- claiming and running ------------------------------------------------------


def claim(job_id, worker_id):
    """Take the job if it is due (or its lease expired); None if someone else has it."""
    now = timezone.now()
    due = Q(state=JobState.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    expired = Q(state=JobState.RUNNING, lease_expires_at__lt=now)
    taken = (
        TranscodeJob.objects.filter(pk=job_id, attempts__lt=F("max_attempts"))
        .filter(due | expired)
        .update(
            state=JobState.RUNNING,
            attempts=F("attempts") + 1,
            worker_id=worker_id,
            lease_expires_at=now + lease_duration(),
            heartbeat_at=now,
            started_at=now,
            progress=0.0,
        )
    )
    if not taken:
        return None
    job = TranscodeJob.objects.select_related("asset").get(pk=job_id)
    MediaAsset.objects.filter(pk=job.asset_id).update(state=ProcessingState.PROCESSING)
    return job


class JobProgress:
    """ffmpeg's on_progress callback: throttled progress writes that renew the lease."""

    def __init__(self, job, worker_id, echo=None):
        self.job_id = job.pk
        self.worker_id = worker_id
        self.echo = echo
        self.last_percent = -100.0
        self.last_time = 0.0

    def __call__(self, percent):
        if self.echo:
            self.echo(percent)
        now = time.monotonic()
        if percent < 100 and (
            percent - self.last_percent < PROGRESS_MIN_STEP
            and now - self.last_time < PROGRESS_MIN_SECONDS
        ):
            return
        self.last_percent, self.last_time = percent, now
        self.beat(percent)

    def beat(self, percent=None):
        """Renew the lease; raise LeaseLost (which stops ffmpeg) if it is gone."""
        now = timezone.now()
        fields = {"heartbeat_at": now, "lease_expires_at": now + lease_duration()}
        if percent is not None:
            fields["progress"] = round(float(percent), 1)
        alive = TranscodeJob.objects.filter(
            pk=self.job_id, state=JobState.RUNNING, worker_id=self.worker_id
        ).update(**fields)
        if not alive:
            raise LeaseLost(self.job_id)


def analyse_and_render(src, out_dir, progress):
    """Decide the type from the content (``identify``) and make the renditions.

    Returns (media_type, facts, renditions).
    """
    found = identify(src)
    if found.media_type == MediaType.IMAGE:
        progress(5.0)
        return found.media_type, found.facts, images.make_renditions(src, out_dir)
    if found.media_type == MediaType.DOCUMENT:
        kind = found.facts["container"]
        return found.media_type, found.facts, [documents.make_rendition(src, out_dir, kind)]
    if found.media_type == MediaType.VIDEO:
        render = transcode.transcode_video
    else:
        render = transcode.transcode_audio
    renditions = render(src, out_dir, found.info, on_progress=progress)
    return found.media_type, found.facts, renditions


def _upload(storage, out_dir, renditions, prefix):
    for rendition in renditions:
        for rel in rendition.files:
            name = f"{prefix}/{rel}"
            with open(out_dir / rel, "rb") as fh:
                saved = storage.save(name, fh)
            if saved != name:
                raise OSError(f"storage renamed {name} to {saved}")


def file_title(asset, facts):
    """The title the asset should carry once its file has been read.

    The file's own title (``facts["title"]``) replaces the one made from the
    file name at ingest; a title someone typed is kept.
    """
    own = facts.get("title")
    if own and asset.title == title_from_filename(asset.original_filename):
        return own
    return asset.title


def _publish(job, worker_id, media_type, facts, renditions, prefix):
    """Make the new renditions current in one transaction, if we still hold the lease."""
    with transaction.atomic():
        owned = TranscodeJob.objects.select_for_update().filter(
            pk=job.pk, state=JobState.RUNNING, worker_id=worker_id
        )
        if not owned.exists():
            raise LeaseLost(job.pk)
        asset = MediaAsset.objects.select_for_update().get(pk=job.asset_id)
        names = []
        for r in renditions:
            names.append(r.name)
            Rendition.objects.update_or_create(
                asset=asset,
                name=r.name,
                defaults={
                    "kind": r.kind,
                    "path": r.path,
                    "files": list(r.files),
                    "mime_type": r.mime_type,
                    "width": r.width,
                    "height": r.height,
                    "bitrate": r.bitrate,
                    "bytes": r.bytes,
                    "duration": r.duration,
                    "codecs": list(r.codecs),
                },
            )
        asset.renditions.exclude(name__in=names).delete()
        asset.media_type = media_type
        asset.title = file_title(asset, facts)
        asset.probe = facts
        asset.duration = facts.get("duration") or None
        asset.width = facts.get("width")
        asset.height = facts.get("height")
        asset.renditions_prefix = prefix if renditions else ""
        asset.state = ProcessingState.READY
        asset.error = ""
        asset.save(
            update_fields=[
                "media_type",
                "title",
                "probe",
                "duration",
                "width",
                "height",
                "renditions_prefix",
                "state",
                "error",
            ]
        )
        record_event(
            asset,
            EventType.MIGRATION,
            agent=migration_agent(media_type),
            detail=", ".join(names),
        )
        owned.update(
            state=JobState.SUCCEEDED,
            progress=100.0,
            error="",
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        keep = asset.renditions_prefix
        transaction.on_commit(lambda: remove_stale_renditions(asset, keep))
        transaction.on_commit(lambda: asset_processed.send(sender=MediaAsset, asset_id=asset.pk))


def rendition_root(asset):
    return f"renditions/{asset.uuid.hex[:2]}/{asset.uuid.hex}"


def remove_stale_renditions(asset, keep):
    """Delete every rendition folder of the asset except the current one.

    This is also what clears the leftovers of a worker killed mid-upload.
    """
    storage = private_storage()
    root = rendition_root(asset)
    try:
        dirs, _files = storage.listdir(root)
    except FileNotFoundError:
        return
    for folder in dirs:
        prefix = f"{root}/{folder}"
        if prefix != keep:
            delete_prefix(storage, prefix)


def _error_text(exc):
    with translation.override(settings.LANGUAGE_CODE):
        return exc.user_message() if isinstance(exc, MediaError) else str(exc)


def _is_transient(exc):
    """Whether another attempt may succeed: anything but the file's own fault.

    Timeouts and tool failures (MediaTimeout, FfmpegFailed) are retried up
    to the job's maximum, as are storage and database errors.
    """
    return not isinstance(exc, BadMediaInput)


def _fail(job, exc, worker_id):
    """Record a failure: back to the queue with back-off, or failed for good."""
    now = timezone.now()
    job.refresh_from_db()
    message = _error_text(exc)
    retry = _is_transient(exc) and job.attempts < job.max_attempts
    if retry:
        next_at = now + backoff(job.attempts)
        updated = TranscodeJob.objects.filter(
            pk=job.pk, state=JobState.RUNNING, worker_id=worker_id
        ).update(
            state=JobState.QUEUED,
            error=message,
            next_attempt_at=next_at,
            delivered_at=None,
            lease_expires_at=None,
        )
        if updated:
            MediaAsset.objects.filter(pk=job.asset_id).update(
                state=ProcessingState.PENDING, error=message
            )
            transaction.on_commit(lambda: deliver_job(job.pk, run_after=next_at))
        return
    updated = TranscodeJob.objects.filter(
        pk=job.pk, state=JobState.RUNNING, worker_id=worker_id
    ).update(state=JobState.FAILED, error=message, finished_at=now, lease_expires_at=None)
    if updated:
        MediaAsset.objects.filter(pk=job.asset_id).update(
            state=ProcessingState.FAILED, error=message
        )
        asset = MediaAsset.objects.get(pk=job.asset_id)
        record_event(
            asset,
            EventType.MIGRATION,
            EventOutcome.FAILURE,
            agent=migration_agent(asset.media_type),
            detail=message,
        )


def run_job(job_id, *, worker_id=None, on_progress=None):
    """Claim and run one job to the end; returns the job row (reloaded)."""
    worker_id = worker_id or default_worker_id()
    job = claim(job_id, worker_id)
    if job is None:
        return TranscodeJob.objects.filter(pk=job_id).first()
    asset = job.asset
    storage = private_storage()
    progress = JobProgress(job, worker_id, echo=on_progress)
    work = Path(tempfile.mkdtemp(prefix=f"job-{job.pk}-{os.getpid()}-", dir=work_root()))
    prefix = f"{rendition_root(asset)}/{secrets.token_hex(8)}"
    uploaded = False
    try:
        with local_path(storage, asset.file.name, work) as src:
            out_dir = work / "out"
            media_type, facts, renditions = analyse_and_render(src, out_dir, progress)
        progress.beat(99.0)
        uploaded = True
        _upload(storage, out_dir, renditions, prefix)
        _publish(job, worker_id, media_type, facts, renditions, prefix)
        uploaded = False
        if on_progress:
            on_progress(100.0)
    except LeaseLost:
        logger.warning("job %s was taken over by another worker; dropping this run", job_id)
    except FileNotFoundError as exc:
        # The master is gone: retrying cannot bring it back.
        logger.error("job %s: master missing: %s", job_id, exc)
        _fail(job, BadMediaInput(gettext_noop("The file could not be found.")), worker_id)
    except MediaError as exc:
        logger.warning("job %s: %s", job_id, exc.message)
        _fail(job, exc, worker_id)
    except Exception as exc:  # noqa: BLE001 - every failure must land on the job row
        logger.exception("job %s failed", job_id)
        _fail(job, exc, worker_id)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if uploaded:
            with contextlib.suppress(OSError):
                delete_prefix(storage, prefix)
    job.refresh_from_db()
    return job


# --- the sweeper ---------------------------------------------------------------


def clean_work_dirs():
    """Remove local work folders of processes that no longer run (killed workers)."""
    removed = 0
    for folder in work_root().glob("job-*-*-*"):
        pid = folder.name.split("-")[2]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def sweep(now=None):
    """Re-deliver lost jobs and take back expired leases; returns counts."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "delivered": 0, "undelivered": 0}
    for job in TranscodeJob.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now):
        if job.attempts >= job.max_attempts:
            message = "The worker processing this file stopped responding too many times."
            if TranscodeJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
                state=JobState.FAILED, error=message, finished_at=now, lease_expires_at=None
            ):
                MediaAsset.objects.filter(pk=job.asset_id).update(
                    state=ProcessingState.FAILED, error=message
                )
                counts["failed"] += 1
            continue
        if TranscodeJob.objects.filter(
            pk=job.pk, state=JobState.RUNNING, lease_expires_at__lt=now
        ).update(
            state=JobState.QUEUED, next_attempt_at=now, delivered_at=None, lease_expires_at=None
        ):
            counts["requeued"] += 1
    cutoff = now - redeliver_after()
    lost = (
        TranscodeJob.objects.filter(state=JobState.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(
            Q(delivered_at__isnull=True) | Q(delivered_at__lt=cutoff, next_attempt_at__lt=cutoff)
        )
    )
    for job_id in list(lost.values_list("pk", flat=True)):
        if deliver_job(job_id):
            counts["delivered"] += 1
        else:
            counts["undelivered"] += 1
    clean_work_dirs()
    return counts
