"""Background tasks of the heritage app (django-tasks); each takes plain ids."""

import contextlib
import logging
import tempfile
from pathlib import Path

from django_tasks import task

from media_pipeline.storage import local_path

logger = logging.getLogger(__name__)


@task()
def reindex_imported_records(payload):
    """Index in bulk what an import saved with indexing deferred: ``{model label: [pk]}``."""
    from heritage.importing.fastpath import reindex_objects

    return reindex_objects(payload)


@contextlib.contextmanager
def _sheet_and_media(run, work_dir):
    """The run's sheet as a local path, and its media folder (None for a bare sheet)."""
    from heritage.importing import bundle

    with local_path(run.file.storage, run.file.name, work_dir) as path:
        if Path(run.original_filename).suffix.lower() != ".zip":
            yield path, None
            return
        with bundle.unpacked(path, work_dir) as (sheet, media_dir):
            yield sheet, media_dir


@task()
def run_import(import_run_id):
    """Run an ``ImportRun`` started in the admin, recording progress and the per-row report.

    A .zip run is unpacked first and imported like ``import_records FILE
    --media-dir DIR``; a bundle or sheet that cannot be read fails the whole
    run before any row is written, and so does any other error (its traceback
    is logged).
    """
    from heritage.models import ImportRun

    run = ImportRun.objects.select_related("created_by").get(pk=import_run_id)
    if run.status != ImportRun.Status.PENDING:
        return run.status
    try:
        with tempfile.TemporaryDirectory(prefix="import-run-") as work_dir:
            return _run_import(run, Path(work_dir))
    except Exception as exc:  # noqa: BLE001 - any fault must end the run, never leave it running
        from django.utils import timezone
        from django.utils.translation import gettext as _

        logger.exception("Import run %s stopped on an unexpected error", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            error_message=_("The import stopped on an unexpected error: %(error)s")
            % {"error": str(exc) or type(exc).__name__},
            finished_at=timezone.now(),
        )
        return ImportRun.Status.FAILED


def _run_import(run, work_dir):
    from django.utils import timezone

    from heritage.importing import SheetError, read_sheet
    from heritage.importing.bundle import BundleError
    from heritage.models import ImportRun

    runs = ImportRun.objects.filter(pk=run.pk)
    with contextlib.ExitStack() as stack:
        try:
            sheet, media_dir = stack.enter_context(_sheet_and_media(run, work_dir))
            rows = read_sheet(sheet)
        except (BundleError, SheetError, OSError) as exc:
            runs.update(
                status=ImportRun.Status.FAILED, error_message=str(exc), finished_at=timezone.now()
            )
            return ImportRun.Status.FAILED
        runs.update(
            status=ImportRun.Status.RUNNING, total_rows=len(rows), started_at=timezone.now()
        )
        return _import_rows(run, runs, rows, media_dir)


def _import_rows(run, runs, rows, media_dir):
    from django.db.models import F
    from django.utils import timezone

    from heritage.importing import RecordImporter
    from heritage.models import ImportRun

    def progress(done):
        runs.update(processed_rows=F("processed_rows") + done)

    result = RecordImporter(
        user=run.created_by,
        publish=run.publish,
        dry_run=run.dry_run,
        media_dir=media_dir,
        progress=progress,
    ).run(rows)
    counts = result.counts
    runs.update(
        status=ImportRun.Status.DONE,
        processed_rows=len(rows),
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        failed_count=counts["failed"],
        report=result.as_dict()["rows"],
        finished_at=timezone.now(),
    )
    return ImportRun.Status.DONE
