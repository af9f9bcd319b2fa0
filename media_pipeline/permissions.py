"""Who may change media: decided by the collection an asset is in, per action.

Each province team owns a collection. Wagtail's ownership policy would let
anyone with "add" anywhere change and delete what they uploaded, and treats
delete as change; here every action on an asset needs that very permission
in the asset's own collection, so deleting is a permission of its own
(given to reviewers only).
"""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies.collections import CollectionPermissionPolicy

from media_pipeline.models import MediaAsset

media_permission_policy = CollectionPermissionPolicy(MediaAsset)


class InstancePermissionMixin:
    """For a Wagtail edit or delete view: check the action against this very object.

    Wagtail's generic edit and delete views ask only whether the user may
    change or delete *some* object of the model.
    """

    instance_action = None

    def dispatch(self, request, *args, **kwargs):
        obj = self.get_object()
        if not self.user_has_permission_for_instance(self.instance_action, obj):
            raise PermissionDenied
        return self.refusal(request, obj) or super().dispatch(request, *args, **kwargs)

    def refusal(self, request, obj):
        """A response refusing the action on this object for another reason, or None."""
        return None
