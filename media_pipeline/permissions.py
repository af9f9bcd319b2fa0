"""Who may change media: decided by the collection an asset is in, per action.

Each province team owns a collection. Wagtail's ownership policy would let
anyone with "add" anywhere change and delete what they uploaded, and treats
delete as change; here every action on an asset needs that very permission
in the asset's own collection, so deleting is a permission of its own
(given to reviewers only).
"""

from wagtail.permission_policies.collections import CollectionPermissionPolicy

from media_pipeline.models import MediaAsset

media_permission_policy = CollectionPermissionPolicy(MediaAsset)
