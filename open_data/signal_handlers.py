"""What changes the downloads: a record published, unpublished or restricted."""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished

from heritage.models import RecordPage, VisibilityEvent
from open_data.tasks import enqueue_regeneration


def _on_page_change(sender, instance, **kwargs):
    if isinstance(instance, RecordPage):
        transaction.on_commit(enqueue_regeneration)


def _on_visibility_event(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(enqueue_regeneration)


def register():
    page_published.connect(_on_page_change, dispatch_uid="open-data-published")
    page_unpublished.connect(_on_page_change, dispatch_uid="open-data-unpublished")
    post_save.connect(
        _on_visibility_event, sender=VisibilityEvent, dispatch_uid="open-data-visibility"
    )
