"""Signal handlers: they only record facts or enqueue work after commit."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from heritage.access import Access
from heritage.models import Consent, RecordPage, VisibilityEvent

Kind = VisibilityEvent.Kind
logger = logging.getLogger(__name__)


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


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, RecordPage) and instance.record_id:
        log_visibility(instance, deleted=True)


def _hide_media_of_person(person_id):
    from heritage.tasks import hide_media_for_consent_change
    from media_pipeline.jobs import delivery_errors

    try:
        hide_media_for_consent_change.enqueue(person_id)
    except delivery_errors() as exc:
        # The queue is down; hiding cannot wait for it.
        logger.warning("queue unavailable (%s): hiding media of person %s inline", exc, person_id)
        hide_media_for_consent_change.call(person_id)


def _on_consent_change(sender, instance, **kwargs):
    person_id = instance.person_id
    transaction.on_commit(lambda: _hide_media_of_person(person_id))


def register():
    post_save.connect(_on_consent_change, sender=Consent, dispatch_uid="heritage-consent-saved")
    post_delete.connect(_on_consent_change, sender=Consent, dispatch_uid="heritage-consent-deleted")
    for model in RecordPage.__subclasses__() + [RecordPage]:
        page_published.connect(_on_publish_change, sender=model)
        page_unpublished.connect(_on_publish_change, sender=model)
        post_delete.connect(_on_delete, sender=model)
