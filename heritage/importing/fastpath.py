"""Writing record pages on Wagtail's tree in bulk: the one module that knows Wagtail's insides.

``parent.add_child(instance=page)`` + ``page.save_revision()`` +
``revision.publish()`` save a page three times, validate it twice and
index it on every save. An import of ten thousand rows does that work once
per page instead: the tree path comes from a per-section counter, the page
is saved once with its final state, gets one revision, and is indexed in
bulk after the import.

Doing so reaches into Wagtail, treebeard, modelcluster and modelsearch
details that are not public API (``Page._get_path``, ``_cached_parent_obj``,
modelcluster's relation cache, modelsearch's post_save receiver). They are
used here and nowhere else, and ``tests/heritage/test_import_fastpath.py``
checks that a page written here is indistinguishable from one written by
Wagtail's own calls (fields, revisions, log entries, reference index, a
sound tree): after a Wagtail upgrade, that test says what moved.
"""

from collections import defaultdict
from contextlib import contextmanager

from asgiref.local import Local
from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signals
from modelsearch.backends import get_search_backends
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from heritage.importing.values import is_draft
from search.text import fold

# --- the tree ---------------------------------------------------------------------


class TreeSlots:
    """Tree paths and sibling-unique slugs for new pages, one counter per section.

    The last child's path is re-read at the start of each batch, so pages
    added meanwhile in the admin are not collided with.
    """

    def __init__(self):
        self.last_step = {}
        self.slugs = {}
        self.suffix = {}

    def begin_batch(self):
        self.last_step.clear()

    def _children(self, section):
        return Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)

    def next_path(self, section):
        if section.pk not in self.last_step:
            last = self._children(section).order_by("-path").values_list("path", flat=True).first()
            self.last_step[section.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
        self.last_step[section.pk] += 1
        return Page._get_path(section.path, section.depth + 1, self.last_step[section.pk])

    def slug(self, section, title):
        taken = self.slugs.get(section.pk)
        if taken is None:
            taken = self.slugs[section.pk] = set(
                self._children(section).values_list("slug", flat=True)
            )
        base = slugify(fold(title))[:240] or "record"
        slug, number = base, self.suffix.get((section.pk, base), 2)
        while slug in taken:
            slug = f"{base}-{number}"
            number += 1
        self.suffix[(section.pk, base)] = number
        taken.add(slug)
        return slug


def count_new_children(new_children):
    """Add ``{section pk: pages added}`` to the sections' ``numchild``, as add_child does."""
    for section_pk, count in new_children.items():
        Page.objects.filter(pk=section_pk).update(numchild=F("numchild") + count)


# --- pages -----------------------------------------------------------------------------


def latest_state(page):
    """The page as its latest revision has it (the draft), else as stored."""
    if is_draft(page):
        return page.with_content_json(page.latest_revision.content)
    return page


def create_page(page, section, slots, *, user, publish):
    """Save a new ``page`` under ``section`` as add_child + save_revision (+ publish) would.

    ``page`` carries its content, locale, translation key and owner;
    ``slots`` (a ``TreeSlots``) gives its path and slug. The section's
    ``numchild`` is left to ``count_new_children`` once per batch.
    """
    now = timezone.now()
    page.live = publish
    page.has_unpublished_changes = not publish
    page.first_published_at = page.last_published_at = now if publish else None
    page.draft_title = page.title
    page.slug = slots.slug(section, page.title)
    page.path = slots.next_path(section)
    page.depth = section.depth + 1
    page.numchild = 0
    page._cached_parent_obj = section  # Page.save builds url_path from the parent
    page.save(clean=False, user=user)  # logs "wagtail.create" itself
    _prime_empty_relations(page)
    revision = _new_revision(page, user)
    page.latest_revision = revision
    page.latest_revision_created_at = revision.created_at
    page.live_revision = revision if publish else None
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        latest_revision_created_at=revision.created_at,
        live_revision=page.live_revision,
    )
    if publish:
        _published(page, revision, user)
    return page


def update_page(page, state, *, changed, user, publish):
    """Store ``state`` (``latest_state(page)`` with the row applied) as edit (+ publish) would.

    ``changed``: the content differs from the latest revision (else only
    publishing is asked for, and the latest revision is published).
    """
    now = timezone.now()
    if publish:
        state.live = True
        state.expired = False
        state.has_unpublished_changes = False
        state.last_published_at = now
        state.first_published_at = state.first_published_at or now
    if publish or not page.live:
        # A live page keeps its live content until the draft is published.
        state.draft_title = state.title
        if not publish:
            state.has_unpublished_changes = True
        state.save(clean=False)
    revision = _new_revision(state, user) if changed else page.latest_revision
    fields = {
        "latest_revision": revision,
        "latest_revision_created_at": revision.created_at,
        "draft_title": state.title,
    }
    if publish:
        fields["live_revision"] = revision
    else:
        fields["has_unpublished_changes"] = True
    Page.objects.filter(pk=page.pk).update(**fields)
    if changed:
        log(
            instance=state,
            action="wagtail.edit",
            user=user,
            revision=revision,
            content_changed=True,
        )
    if publish:
        _published(state, revision, user, content_changed=changed)


def _new_revision(page, user):
    return Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )


def _published(page, revision, user, content_changed=True):
    log(
        instance=page,
        action="wagtail.publish",
        user=user,
        revision=revision,
        content_changed=content_changed,
    )
    page_published.send(sender=page.specific_class, instance=page, revision=revision)


# The relations an import sets; every other one is empty on a new page.
IMPORTED_RELATIONS = {"ethnic_groups", "tagged_items", "media_links"}


def _prime_empty_relations(page):
    """A new page has no sources, people, comments...: say so, sparing a query each later.

    Only the relations the import never sets: modelcluster forgets the
    in-memory items of committed ones, which must be read back.
    """
    cache = page.__dict__.setdefault("_cluster_related_objects", {})
    names = [relation.get_accessor_name() for relation in get_all_child_relations(page)]
    names += [m2m.name for m2m in get_all_child_m2m_relations(page)]
    for name in names:
        if name not in IMPORTED_RELATIONS:
            cache.setdefault(name, [])


# --- indexing, deferred to one bulk pass -------------------------------------------
#
# Every page save normally enqueues one search-index task (modelsearch's
# post_save handler) and one reference-index task (Wagtail's). During an
# import that is thousands of tasks for pages that are saved once and
# indexed the same way at the end, so ``deferred_indexing`` holds them back
# and ``reindex_objects`` does the work in bulk. Wagtail offers
# ``disable_reference_index_auto_update``; modelsearch has no such switch,
# so its post_save receiver is swapped once for a gate that calls it unless
# the current thread (or async context) is deferring. Other threads keep
# indexing as before.

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
