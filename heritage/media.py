"""The archive's side of media: linking assets to records and people.

Media (``media_pipeline``) knows nothing of records; it announces what
happens to assets through ``media_pipeline.signals`` and the archive acts
here. Records then tell search through ``heritage.signals``.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from heritage.access import Audience
from heritage.models import RecordMedia, RecordPage
from heritage.signals import record_media_changed
from media_pipeline.ingest import IngestError
from media_pipeline.models import MediaAsset, MediaType
from media_pipeline.permissions import may_choose
from media_pipeline.signals import asset_captions_changed, asset_ingested, asset_processed
from media_pipeline.tasks import hide_assets

logger = logging.getLogger(__name__)

# The kinds of media a record can say it has (``RecordPage.public_media_types``),
# with their labels: what apps built on records (search facets) offer.
RECORD_MEDIA_TYPES = MediaType.choices


def link_asset_to_record(asset, record_id, user=None):
    """Attach the asset to every translation of a record: an edit of the record.

    The link is written into a new revision (logged, so it is in the
    history and audit log). It goes live at once only where the record was
    live with nothing pending and ``user`` may publish it; otherwise it waits
    in the draft for the record's review. An officer who may not edit the
    record, or may not use the asset (another team's), is refused.
    ``user=None`` is the system itself (a command).
    """
    pages = list(RecordPage.objects.filter(record_id=record_id))
    if not pages:
        raise IngestError(_("No record has the ID %(id)s.") % {"id": record_id})
    if not may_choose(user, asset):
        raise IngestError(
            _("You may not use media of another team: %(title)s.") % {"title": asset.title}
        )
    permissions = {page.pk: user and page.permissions_for_user(user) for page in pages}
    if any(perms and not perms.can_edit() for perms in permissions.values()):
        raise IngestError(_("You may not change the record %(id)s.") % {"id": record_id})
    for page in pages:
        draft = page.get_latest_revision_as_object()
        if any(link.asset_id == asset.pk for link in draft.media_links.all()):
            continue
        draft.media_links.add(RecordMedia(asset=asset))
        perms = permissions[page.pk]
        publish_now = (
            page.live and not page.has_unpublished_changes and (not perms or perms.can_publish())
        )
        revision = draft.save_revision(user=user, log_action=True)
        if publish_now:
            revision.publish(user=user)
    return pages


def _on_asset_ingested(sender, asset, links, user, duplicate, **kwargs):
    for record_id in links.get("record_ids") or ():
        link_asset_to_record(asset, record_id, user)


def records_of_assets(asset_ids):
    """The record IDs whose pages link any of these assets."""
    return sorted(
        set(
            RecordMedia.objects.filter(asset_id__in=asset_ids)
            .values_list("page__record_id", flat=True)
            .distinct()
        )
    )


def hide_media_no_longer_public(asset_ids):
    """Hide at once those of these assets a visitor may no longer see.

    Media hides what it is told to (``hide_assets``: a new URL token, cached
    data dropped); deciding what must go is the archive's, since records and
    consent are. Records showing hidden media are re-indexed, so their media
    facets follow. Returns the ids hidden.
    """
    candidates = set(asset_ids)
    if not candidates:
        return []
    public = set(
        MediaAsset.objects.visible_to(Audience.PUBLIC)
        .filter(pk__in=candidates)
        .values_list("pk", flat=True)
    )
    hidden = hide_assets(candidates - public)
    if hidden:
        logger.info("hid media %s: no longer public", sorted(hidden))
        record_ids = records_of_assets(hidden)
        if record_ids:
            transaction.on_commit(
                lambda: record_media_changed.send(sender=RecordPage, record_ids=record_ids)
            )
    return hidden


def hide_on_commit(asset_ids):
    """Once the current transaction commits, hide those of these assets no longer public."""
    asset_ids = list(asset_ids)
    if asset_ids:
        transaction.on_commit(lambda: hide_media_no_longer_public(asset_ids))


def media_of_person(person_id):
    return MediaAsset.objects.filter(people=person_id).values_list("pk", flat=True)


def media_of_record(page):
    """The assets linked to any translation of this record."""
    return RecordMedia.objects.filter(page__record_id=page.record_id).values_list(
        "asset_id", flat=True
    )


def _on_asset_media_changed(sender, asset_id, **kwargs):
    """A processed asset, or one whose captions changed: its records' documents follow."""
    record_ids = records_of_assets([asset_id])
    if record_ids:
        transaction.on_commit(
            lambda: record_media_changed.send(sender=RecordPage, record_ids=record_ids)
        )


def register():
    asset_ingested.connect(_on_asset_ingested, sender=MediaAsset, dispatch_uid="heritage-ingest")
    asset_processed.connect(
        _on_asset_media_changed, sender=MediaAsset, dispatch_uid="heritage-processed"
    )
    asset_captions_changed.connect(
        _on_asset_media_changed, sender=MediaAsset, dispatch_uid="heritage-captions"
    )
