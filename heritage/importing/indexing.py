"""Search and reference indexing deferred to one bulk pass after an import.

Every page save normally enqueues one search-index task (modelsearch's
post_save handler) and one reference-index task (Wagtail's). During an
import that is thousands of tasks for pages that are saved once and
indexed the same way at the end, so ``deferred_indexing`` holds them back
and ``reindex_objects`` does the work in bulk.

Wagtail offers ``disable_reference_index_auto_update``; modelsearch has
no such switch, so its post_save receiver is swapped once for a gate that
calls it unless the current thread (or async context) is deferring. Other
threads keep indexing as before.
"""

from collections import defaultdict
from contextlib import contextmanager

from asgiref.local import Local
from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signals
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

_state = Local()
_gate_installed = False


def _gated_post_save(sender, instance, **kwargs):
    deferred = getattr(_state, "deferred", None)
    if deferred is None or kwargs.get("raw", False):
        search_signals.post_save_signal_handler(instance, **kwargs)
        return
    deferred[instance._meta.label_lower].add(instance.pk)


def _install_gate():
    global _gate_installed
    if _gate_installed:
        return
    for model in search_index.get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        if post_save.disconnect(search_signals.post_save_signal_handler, sender=model):
            post_save.connect(_gated_post_save, sender=model)
    _gate_installed = True


@contextmanager
def deferred_indexing():
    """Collect ``{model label: {pk}}`` of saved indexed objects instead of indexing each save."""
    _install_gate()
    previous = getattr(_state, "deferred", None)
    collected = defaultdict(set) if previous is None else previous
    _state.deferred = collected
    try:
        with disable_reference_index_auto_update():
            yield collected
    finally:
        if previous is None:
            del _state.deferred


def enqueue_reindex(collected):
    """After commit, enqueue ONE task that indexes what ``deferred_indexing`` collected."""
    payload = {label: sorted(pks) for label, pks in collected.items() if pks}
    if not payload:
        return

    def enqueue():
        from heritage.tasks import reindex_imported_records

        reindex_imported_records.enqueue(payload)

    transaction.on_commit(enqueue)


def reindex_objects(payload, chunk_size=500):
    """Index ``{model label: [pk]}`` in bulk in every search backend and the reference index."""
    done = 0
    backends = list(get_search_backends(with_auto_update=True))
    for label, pks in payload.items():
        model = apps.get_model(label)
        if not search_index.class_is_indexed(model):
            continue
        for start in range(0, len(pks), chunk_size):
            chunk = pks[start : start + chunk_size]
            objects = list(model.get_indexed_objects().filter(pk__in=chunk))
            # The collected labels are the saved (specific) classes, so no .specific lookups.
            for backend in backends:
                backend.add_bulk(model, objects)
            if ReferenceIndex.is_indexed(model):
                for obj in objects:
                    with transaction.atomic():
                        ReferenceIndex.create_or_update_for_object(obj)
            done += len(objects)
    return done
