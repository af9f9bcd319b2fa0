"""Background tasks of the heritage app (django-tasks); each takes plain ids."""

from django_tasks import task


@task()
def reindex_imported_records(payload):
    """Index in bulk what an import saved with indexing deferred: ``{model label: [pk]}``."""
    from heritage.importing.fastpath import reindex_objects

    return reindex_objects(payload)


@task()
def run_import(import_run_id):
    """Run an ``ImportRun`` started in the admin, recording progress and the per-row report."""
    from django.db.models import F
    from django.utils import timezone

    from heritage.importing import RecordImporter, SheetError, read_sheet
    from heritage.models import ImportRun

    run = ImportRun.objects.select_related("created_by").get(pk=import_run_id)
    if run.status != ImportRun.Status.PENDING:
        return run.status
    runs = ImportRun.objects.filter(pk=run.pk)
    try:
        with run.file.open("rb") as stream:
            rows = read_sheet(stream, run.original_filename)
    except (SheetError, OSError) as exc:
        runs.update(
            status=ImportRun.Status.FAILED, error_message=str(exc), finished_at=timezone.now()
        )
        return ImportRun.Status.FAILED
    runs.update(status=ImportRun.Status.RUNNING, total_rows=len(rows), started_at=timezone.now())

    def progress(done):
        runs.update(processed_rows=F("processed_rows") + done)

    result = RecordImporter(
        user=run.created_by,
        publish=run.publish,
        dry_run=run.dry_run,
        media_dir=None,
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
