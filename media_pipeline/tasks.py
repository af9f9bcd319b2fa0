"""Background tasks: each takes plain ids and re-reads the rows it needs.

The same code runs under the database backend (``manage.py db_worker``) and
under RQ (``manage.py rqworker --job-class django_tasks_rq.Job``).
"""

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from media_pipeline import jobs, uploads
from media_pipeline.models import MediaAsset, new_token


@task()
def process_job(job_id):
    """Claim and run one processing job (a no-op if someone else holds it)."""
    job = jobs.run_job(job_id)
    return job.state if job else None


@task()
def finish_upload(session_id):
    """Hash, store and queue the processing of a complete tus upload."""
    session = uploads.finish(session_id)
    return session.phase if session else None


def cache_key(asset_pk):
    return f"media_pipeline:asset:{asset_pk}"


def hide_assets(asset_ids):
    """Take assets out of public reach at once: new URL token, cached data dropped.

    Files are only ever served through the access-checked view, which already
    answers 404; the new token also makes any URL a browser or proxy cached
    (for at most MEDIA_PUBLIC_CACHE_SECONDS) point nowhere.
    """
    hidden = []
    with transaction.atomic():
        for asset in MediaAsset.objects.select_for_update().filter(pk__in=asset_ids):
            asset.token = new_token()
            asset.save(update_fields=["token"])
            hidden.append(asset.pk)
    cache.delete_many([cache_key(pk) for pk in hidden])
    return hidden
