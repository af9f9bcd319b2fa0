"""Admin for media assets: listed, chosen from records' blocks, edited per collection."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media_pipeline.models import MediaAsset


class MediaAssetViewSet(SnippetViewSet):
    model = MediaAsset
    icon = "media"
    menu_label = _("Media")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "media_type", "collection", "access", "created_at"]
    list_filter = ["media_type", "access", "collection"]
    search_fields = ["title", "description"]
    panels = [
        FieldPanel("title"),
        FieldPanel("file"),
        FieldPanel("collection"),
        FieldPanel("description"),
        FieldPanel("access"),
        FieldPanel("sensitivity_warning"),
        FieldPanel("people"),
        FieldPanel("edition"),
        FieldPanel("recorded_by"),
        FieldPanel("recorded_on"),
    ]


# Officers edit only media in their team's collection, like Wagtail's own images.
register_permission_policy(
    MediaAsset,
    CollectionOwnershipPermissionPolicy(
        MediaAsset, auth_model=MediaAsset, owner_field_name="uploaded_by"
    ),
)
register_snippet(MediaAssetViewSet)
