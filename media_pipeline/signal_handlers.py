"""Signal handlers of media: hiding an asset made restricted cannot wait for a queue, a
deleted asset's files go once the deletion has committed, and a changed caption is announced
once it has."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from media_pipeline.jobs import rendition_root
from media_pipeline.models import AssetAccess, Caption, MediaAsset
from media_pipeline.signals import asset_captions_changed
from media_pipeline.storage import delete_prefix, private_storage
from media_pipeline.tasks import hide_assets


def _on_asset_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or created or instance.access == AssetAccess.PUBLIC:
        return
    if update_fields is not None and "access" not in update_fields:
        return  # the pipeline's own saves (state, renditions) leave access alone
    transaction.on_commit(partial(hide_assets, [instance.pk]))


def remove_files(uuid_hex, renditions):
    """The master, every rendition and every caption file of a deleted asset."""
    storage = private_storage()
    delete_prefix(storage, f"masters/{uuid_hex[:2]}/{uuid_hex}")
    delete_prefix(storage, renditions)
    delete_prefix(storage, f"captions/{uuid_hex}")


def _on_asset_deleted(sender, instance, **kwargs):
    transaction.on_commit(partial(remove_files, instance.uuid.hex, rendition_root(instance)))


def _on_caption_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    transaction.on_commit(
        partial(asset_captions_changed.send, sender=MediaAsset, asset_id=instance.asset_id)
    )


def register():
    post_save.connect(_on_asset_saved, sender=MediaAsset, dispatch_uid="media-asset-restricted")
    post_delete.connect(_on_asset_deleted, sender=MediaAsset, dispatch_uid="media-asset-deleted")
    post_save.connect(_on_caption_changed, sender=Caption, dispatch_uid="media-caption-saved")
    post_delete.connect(_on_caption_changed, sender=Caption, dispatch_uid="media-caption-deleted")
