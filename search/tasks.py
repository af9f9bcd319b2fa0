"""Index work run by the task queue, never in the request that published."""

from django_tasks import task

from search import documents


@task()
def index_record_task(record_id):
    """Re-index every translation of one record (publish, unpublish, delete, rename)."""
    return documents.index_record(record_id)


@task()
def index_records_task(record_ids):
    """Re-index several records, e.g. after an ethnic group gained another name."""
    return sum(documents.index_record(record_id) for record_id in record_ids)
