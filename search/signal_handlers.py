"""Signal handlers: they enqueue index work, after the transaction commits.

One exception: publishing or unpublishing a record changes its documents'
access copy at once, in the same transaction, so no count or facet counts a
record that has just been restricted or taken offline. Elasticsearch gets the
page right after commit, from the request itself (within its refresh
interval, about a second, its counts agree again).

A worker that runs before the commit would read the old row (or none), so
every enqueue waits for ``transaction.on_commit``; with the immediate test
backend the task then runs right after the commit, as in production.
"""

from functools import partial

import modelsearch.signal_handlers as modelsearch_handlers
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelsearch import index
from modelsearch.tasks import insert_or_update_object_task
from wagtail.signals import page_published, page_unpublished

from heritage.models import EthnicGroup, RecordPage
from heritage.signals import record_media_changed
from search.documents import update_access_copy
from search.elasticsearch_query import ElasticsearchSearch
from search.query import get_backend
from search.tasks import index_record_task, index_records_task


def enqueue_record(record_id):
    """Re-index ``record_id`` in the task queue once the current transaction commits."""
    if record_id:
        transaction.on_commit(partial(index_record_task.enqueue, record_id))


def _on_record_change(sender, instance, **kwargs):
    if isinstance(instance, RecordPage):
        enqueue_record(instance.record_id)


def _on_record_published_or_unpublished(sender, instance, **kwargs):
    # The access copy now, in this transaction; the rest after commit.
    if isinstance(instance, RecordPage):
        update_access_copy(instance)
        enqueue_record(instance.record_id)
        if isinstance(get_backend(), ElasticsearchSearch):
            # Elasticsearch cannot join the transaction: its copy of the page's
            # access and live state is sent straight after commit, from this
            # process, rather than behind transcodes in the task queue.
            transaction.on_commit(partial(index.insert_or_update_object, instance))


def _on_record_media_changed(sender, record_ids, **kwargs):
    transaction.on_commit(partial(index_records_task.enqueue, list(record_ids)))


def _on_group_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    record_ids = list(
        RecordPage.objects.filter(ethnic_groups=instance)
        .order_by()
        .values_list("record_id", flat=True)
        .distinct()
    )
    if record_ids:
        transaction.on_commit(partial(index_records_task.enqueue, record_ids))


def modelsearch_post_save_on_commit(instance, **kwargs):
    """modelsearch's post_save handler, but enqueued on commit (1.3.2 enqueues at once)."""
    if kwargs.get("raw", False):
        return
    transaction.on_commit(
        partial(
            insert_or_update_object_task.enqueue,
            instance._meta.app_label,
            instance._meta.model_name,
            str(instance.pk),
        )
    )


def patch_modelsearch():
    """Make the Wagtail search index (admin search) enqueue its updates on commit.

    Our app is ready before wagtail.search, which registers modelsearch's
    handlers by looking the function up by name: replacing it here is
    enough. Should the order ever change, the handlers already connected are
    swapped as well.
    """
    original = modelsearch_handlers.post_save_signal_handler
    if original is modelsearch_post_save_on_commit:
        return
    modelsearch_handlers.post_save_signal_handler = modelsearch_post_save_on_commit
    for model in index.get_indexed_models():
        if post_save.disconnect(original, sender=model):
            post_save.connect(modelsearch_post_save_on_commit, sender=model)


def register():
    patch_modelsearch()
    for model in [RecordPage, *RecordPage.__subclasses__()]:
        page_published.connect(
            _on_record_published_or_unpublished, sender=model, dispatch_uid=f"search-pub-{model}"
        )
        page_unpublished.connect(
            _on_record_published_or_unpublished,
            sender=model,
            dispatch_uid=f"search-unpub-{model}",
        )
        post_delete.connect(_on_record_change, sender=model, dispatch_uid=f"search-del-{model}")
    post_save.connect(_on_group_saved, sender=EthnicGroup, dispatch_uid="search-group")
    record_media_changed.connect(_on_record_media_changed, dispatch_uid="search-record-media")
