"""Admin for media assets: listed, chosen from records' blocks, edited per collection."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from media_pipeline import admin_urls
from media_pipeline.admin_breadcrumbs import TranslatedBreadcrumbsMixin
from media_pipeline.concurrency import StaleEditRefusalForm
from media_pipeline.models import Caption, MediaAsset, MediaType, ProcessingState
from media_pipeline.panels import PreviewPanel, ProcessingPanel
from media_pipeline.permissions import (
    InstancePermissionMixin,
    caption_permission_policy,
    choosable_assets,
    collections_for_media,
    media_permission_policy,
)
from media_pipeline.preservation import delete_asset


class StatusColumn(Column):
    """The processing state in words; the admin script polls it while work is under way."""

    def get_value(self, instance):
        busy = instance.state in (ProcessingState.PENDING, ProcessingState.PROCESSING)
        return format_html(
            '<span class="media-status media-status--{}" {}>{}</span>',
            instance.state,
            format_html(
                'data-media-status-url="{}"',
                reverse("media_pipeline_admin:status", args=[instance.pk]),
            )
            if busy
            else "",
            instance.state_summary(),
        )

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = self.get_value(instance)
        return context


class AssetEditView(InstancePermissionMixin, snippet_views.EditView):
    instance_action = "change"


class AssetDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_action = "delete"

    def delete_action(self):
        delete_asset(self.object, super().delete_action)

    def refusal(self, request, asset):
        # Records (pages) hold the asset; its own captions go with it.
        pages = ContentType.objects.get_for_model(Page)
        if ReferenceIndex.get_references_to(asset).filter(base_content_type=pages).exists():
            messages.error(
                request,
                _("This media item is used by a record; remove it from the record first."),
            )
            return redirect(self.edit_url_name, quote(asset.pk))
        return None


class ThumbnailColumn(Column):
    """A small picture of the asset, through the access-checked file view."""

    cell_template_name = "media_pipeline/chooser/thumbnail_cell.html"


class MediaTypeFilterMixin(forms.Form):
    media_type = forms.ChoiceField(
        label=_("Media type"),
        choices=[("", _("All types")), *MediaType.choices],
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        # Before the search of the mixins after it: a search result cannot be filtered.
        if media_type := self.cleaned_data.get("media_type"):
            objects = objects.filter(media_type=media_type)
        return super().filter(objects)


class ChoosableAssetsMixin:
    """The media chooser (record media links, body blocks): the user's team's media only,
    newest first, with a thumbnail, the type and the processing state of each."""

    ordering = ["-created_at", "-pk"]

    def get_object_list(self):
        return choosable_assets(self.request.user).prefetch_related("renditions")

    def get_filter_form_class(self):
        return type("MediaFilterForm", (MediaTypeFilterMixin, super().get_filter_form_class()), {})

    @property
    def columns(self):
        return [
            ThumbnailColumn("thumbnail", label=_("Preview"), width="100px"),
            *super().columns,
            Column("media_type", label=_("Media type"), accessor="get_media_type_display"),
            StatusColumn("state", label=_("State")),
            DateColumn("created_at", label=_("Uploaded")),
        ]


class AssetChooseView(ChoosableAssetsMixin, chooser_views.ChooseView):
    pass


class AssetChooseResultsView(ChoosableAssetsMixin, chooser_views.ChooseResultsView):
    pass


class AssetChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return choosable_assets(self.request.user).get(pk=pk)


class AssetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = AssetChooseView
    choose_results_view_class = AssetChooseResultsView
    chosen_view_class = AssetChosenView


class MediaAssetForm(StaleEditRefusalForm):
    """The collection list offers the officer's team's collections, not every province's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "collection" in self.fields:
            self.fields["collection"].queryset = collections_for_media(self.for_user)


class MediaAssetViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    model = MediaAsset
    edit_view_class = AssetEditView
    delete_view_class = AssetDeleteView
    chooser_viewset_class = AssetChooserViewSet
    icon = "media"
    menu_label = _("Media items")
    list_display = [
        "title",
        "media_type",
        StatusColumn("state", label=_("State")),
        "collection",
        "access",
        "created_at",
    ]
    list_filter = ["media_type", "state", "access", "collection"]

    def get_queryset(self, request):
        # The state column counts each asset's renditions.
        return MediaAsset.objects.prefetch_related("renditions")

    # No viewset search_fields: naming fields makes Wagtail's SQLite search query
    # columns its index does not have ("no such column"); the model's own
    # search_fields say what is searched.

    @property
    def add_view(self):
        # Every new master goes through the resumable upload page, which hashes it,
        # detects duplicates and queues its processing job.
        return RedirectView.as_view(pattern_name="media_pipeline_admin:upload")

    # The master is offered by the preview through the file view: its storage
    # name (masters/…) is not for officers' eyes.
    edit_handler = ObjectList(
        [
            PreviewPanel(heading=_("Preview")),
            ProcessingPanel(heading=_("State")),
            FieldPanel("title"),
            FieldPanel("collection"),
            FieldPanel("description"),
            FieldPanel("access"),
            FieldPanel("sensitivity_warning"),
            FieldPanel("recorded_by"),
            FieldPanel("recorded_by_en"),
            FieldPanel("recorded_on"),
        ],
        base_form_class=MediaAssetForm,
    )


class CaptionForm(WagtailAdminModelForm):
    """A caption belongs to an asset the officer may change: their team's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "asset" in self.fields:
            self.fields["asset"].queryset = caption_permission_policy.assets_of(self.for_user)


class CaptionEditView(InstancePermissionMixin, snippet_views.EditView):
    instance_action = "change"


class CaptionDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_action = "delete"


class CaptionViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    """Captions follow their asset's collection: listed, edited and deleted by its team."""

    model = Caption
    edit_view_class = CaptionEditView
    delete_view_class = CaptionDeleteView
    icon = "doc-full"
    menu_label = _("Captions and transcripts")
    list_display = ["asset", "language", "kind", "created_at"]
    list_filter = ["language", "kind"]
    edit_handler = ObjectList(
        [
            FieldPanel("asset"),
            FieldPanel("language"),
            FieldPanel("kind"),
            FieldPanel("label"),
            FieldPanel("file"),
        ],
        base_form_class=CaptionForm,
    )

    def get_queryset(self, request):
        return caption_permission_policy.instances_user_has_any_permission_for(
            request.user, ["view", "change"]
        )


class MediaViewSetGroup(SnippetViewSetGroup):
    items = (MediaAssetViewSet, CaptionViewSet)
    menu_icon = "media"
    menu_label = _("Media")
    menu_order = 250


# Officers change only media in their team's collection; deleting is a permission of its own.
register_permission_policy(MediaAsset, media_permission_policy)
register_permission_policy(Caption, caption_permission_policy)
register_snippet(MediaViewSetGroup)


@hooks.register("register_admin_urls")
def register_media_admin_urls():
    return [path("media-upload/", include(admin_urls, namespace="media_pipeline_admin"))]


class UploadMenuItem(MenuItem):
    def is_shown(self, request):
        from media_pipeline.admin_views import permission_policy

        return permission_policy().user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def register_upload_menu_item():
    return UploadMenuItem(
        _("Upload media"), reverse("media_pipeline_admin:upload"), icon_name="upload", order=251
    )


@hooks.register("insert_global_admin_js")
def media_status_js():
    return format_html('<script src="{}" defer></script>', static("media_pipeline/admin-status.js"))


@hooks.register("insert_global_admin_css")
def media_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("media_pipeline/admin.css"))
