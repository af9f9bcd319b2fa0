"""Signal handlers: they record facts, or act after commit (hiding cannot wait for a queue)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, WorkflowState
from wagtail.signals import page_published, page_unpublished, workflow_approved, workflow_rejected

from heritage import review, translation_sync
from heritage.access import Access
from heritage.media import hide_on_commit, media_of_person, media_of_record
from heritage.models import Consent, EthnicGroup, Person, Province, RecordPage, VisibilityEvent
from heritage.page_cache import clear_page_cache
from heritage.signals import record_media_changed

Kind = VisibilityEvent.Kind


def _public_state(page, deleted):
    if deleted:
        return Kind.DELETED
    if not page.live:
        return Kind.UNPUBLISHED
    return Kind.RESTRICTED if page.access == Access.RESTRICTED else Kind.PUBLISHED


def log_visibility(page, deleted=False):
    """Log a record's visibility when it differs from the last logged state."""
    state = _public_state(page, deleted)
    last = (
        VisibilityEvent.objects.filter(record_id=page.record_id, locale=page.locale.language_code)
        .values_list("kind", flat=True)
        .first()
    )
    if (Kind.PUBLISHED if last == Kind.UNRESTRICTED else last) == state:
        return
    if state == Kind.PUBLISHED and last == Kind.RESTRICTED:
        state = Kind.UNRESTRICTED
    elif last is None and state in {Kind.UNPUBLISHED, Kind.DELETED}:
        return  # never visible, nothing for harvesters to learn
    VisibilityEvent.objects.create(
        record_id=page.record_id,
        locale=page.locale.language_code,
        page_id=None if deleted else page.pk,
        kind=state,
    )


def _on_publish_change(sender, instance, **kwargs):
    if isinstance(instance, RecordPage):
        log_visibility(instance)
        # Restricted or unpublished: its media may no longer be public.
        hide_on_commit(list(media_of_record(instance)))


def _restrict_translations_at_once(sender, instance, **kwargs):
    """A record restricted in one language is restricted in every language now.

    The other shared facts wait, as a draft, for that language's own publish
    (``heritage.translation_sync``); a restriction cannot wait for it.
    """
    if not isinstance(instance, RecordPage) or instance.access != Access.RESTRICTED:
        return
    groups = set(instance.allowed_groups.all())
    for translation in instance.get_translations().live().specific():
        already = translation.access == Access.RESTRICTED
        if already and set(translation.allowed_groups.all()) == groups:
            continue
        translation.access = Access.RESTRICTED
        translation.allowed_groups.set(list(groups))
        translation.save(clean=False, update_fields=["access", "allowed_groups"])
        _on_publish_change(sender, translation)


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, RecordPage) and instance.record_id:
        log_visibility(instance, deleted=True)


def _on_consent_change(sender, instance, **kwargs):
    hide_on_commit(media_of_person(instance.person_id))


def _before_record_delete(sender, instance, **kwargs):
    if isinstance(instance, RecordPage):
        # Read now: the links go with the page.
        hide_on_commit(list(media_of_record(instance)))


def _forget_cached_pages(sender, **kwargs):
    # Anonymous visitors see the change on their next request (heritage/page_cache.py).
    transaction.on_commit(clear_page_cache)


def register():
    # Whatever a public page shows: pages published, unpublished (restricted
    # records are published with their new access) or deleted, the names on
    # them, consents (who may be shown) and media hidden or ready.
    page_published.connect(_forget_cached_pages, dispatch_uid="heritage-pages-published")
    page_unpublished.connect(_forget_cached_pages, dispatch_uid="heritage-pages-unpublished")
    record_media_changed.connect(_forget_cached_pages, dispatch_uid="heritage-pages-media")
    # Not a page's post_save: every draft and autosave writes the page row.
    post_delete.connect(_forget_cached_pages, sender=Page, dispatch_uid="heritage-pages-deleted")
    for model in (Consent, Person, EthnicGroup, Province):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_cached_pages, sender=model, dispatch_uid=f"heritage-pages-{model.__name__}"
            )
    # A reviewer's decision on one language is applied to the other (heritage.review).
    workflow_approved.connect(
        review.approve_translations, sender=WorkflowState, dispatch_uid="heritage-review-approved"
    )
    workflow_rejected.connect(
        review.reject_translations, sender=WorkflowState, dispatch_uid="heritage-review-rejected"
    )
    post_save.connect(_on_consent_change, sender=Consent, dispatch_uid="heritage-consent-saved")
    post_delete.connect(_on_consent_change, sender=Consent, dispatch_uid="heritage-consent-deleted")
    for model in RecordPage.__subclasses__() + [RecordPage]:
        page_published.connect(_on_publish_change, sender=model)
        # Shared facts follow the published language into the other's draft.
        page_published.connect(translation_sync.on_record_published, sender=model)
        page_published.connect(_restrict_translations_at_once, sender=model)
        page_unpublished.connect(_on_publish_change, sender=model)
        post_delete.connect(_on_delete, sender=model)
        pre_delete.connect(_before_record_delete, sender=model)
