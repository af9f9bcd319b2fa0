"""Signal handlers only enqueue work, after the transaction commits, with plain ids."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


def _hide_for_person(person_id):
    from media_pipeline.jobs import delivery_errors
    from media_pipeline.tasks import hide_media_for_consent_change

    try:
        hide_media_for_consent_change.enqueue(person_id)
    except delivery_errors() as exc:
        # The queue is down; hiding cannot wait for it.
        logger.warning("queue unavailable (%s): hiding media of person %s inline", exc, person_id)
        hide_media_for_consent_change.call(person_id)


def consent_changed(sender, instance, **kwargs):
    person_id = instance.person_id
    transaction.on_commit(lambda: _hide_for_person(person_id))


def register():
    from heritage.models import Consent

    post_save.connect(consent_changed, sender=Consent, dispatch_uid="media_consent_saved")
    post_delete.connect(consent_changed, sender=Consent, dispatch_uid="media_consent_deleted")
