"""Signal handlers of media: hiding an asset made restricted cannot wait for a queue."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from media_pipeline.models import AssetAccess, MediaAsset
from media_pipeline.tasks import hide_assets


def _on_asset_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or created or instance.access == AssetAccess.PUBLIC:
        return
    if update_fields is not None and "access" not in update_fields:
        return  # the pipeline's own saves (state, renditions) leave access alone
    transaction.on_commit(partial(hide_assets, [instance.pk]))


def register():
    post_save.connect(_on_asset_saved, sender=MediaAsset, dispatch_uid="media-asset-restricted")
