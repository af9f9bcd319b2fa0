"""Background tasks of open data (django-tasks)."""

from django.core.cache import cache
from django_tasks import task

# Set while a regeneration waits in the queue: a burst of publishes makes one run.
QUEUED_KEY = "open_data:regeneration-queued"
QUEUED_SECONDS = 15 * 60


@task()
def regenerate_datasets():
    """Write every dataset download again from the public archive; the run's id."""
    from open_data.datasets import generate_datasets

    # Cleared first: anything published from now on is read by this run or queues the next.
    cache.delete(QUEUED_KEY)
    return generate_datasets().pk


def enqueue_regeneration():
    """Queue a regeneration unless one is already waiting to start."""
    if cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        regenerate_datasets.enqueue()
