"""Who may change media: decided by the collection an asset is in, per action.

Each province team owns a collection. Wagtail's ownership policy would let
anyone with "add" anywhere change and delete what they uploaded, and treats
delete as change; here every action on an asset needs that very permission
in the asset's own collection, so deleting is a permission of its own
(given to reviewers only).
"""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionPermissionPolicy

from media_pipeline.models import Caption, MediaAsset

media_permission_policy = CollectionPermissionPolicy(MediaAsset)


def choosable_assets(user):
    """The assets this user may attach to a record: their team's (a superuser's: all)."""
    return media_permission_policy.instances_user_has_permission_for(user, "choose")


def collections_for_media(user):
    """The collections this user may put media in: those they may add or change media in."""
    return media_permission_policy.collections_user_has_any_permission_for(user, ["add", "change"])


def may_choose(user, asset):
    """Whether ``user`` may attach the asset to a record; ``None`` is the system (a command).

    Linking an asset to a restricted record hides it from the public, so
    using media is as much a change of it as editing it: its own team's only.
    """
    return user is None or media_permission_policy.user_has_permission_for_instance(
        user, "choose", asset
    )


class CaptionPermissionPolicy(ModelPermissionPolicy):
    """The caption permission, and for a caption, "change" on its asset's collection."""

    def assets_of(self, user):
        """The assets whose captions this user may add and change."""
        return media_permission_policy.instances_user_has_permission_for(user, "change")

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        asset = instance.asset
        return media_permission_policy.user_has_permission_for_instance(user, "change", asset)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(asset__in=self.assets_of(user))


caption_permission_policy = CaptionPermissionPolicy(Caption)


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
