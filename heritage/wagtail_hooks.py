"""Admin registration of the archive's reference data and people."""

from django import forms
from django.http import HttpResponseForbidden
from django.urls import path, re_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from heritage import dashboard, people_admin, translation_sync
from heritage.consents import CONSENT_CHANGED, ConsentChanged
from heritage.models import Consent, EthnicGroup, Person, Province, Team, TeamLogEntry
from heritage.permissions import consent_policy, person_policy
from media_pipeline.admin_breadcrumbs import TranslatedBreadcrumbsMixin
from media_pipeline.permissions import InstancePermissionMixin


class EthnicGroupViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    model = EthnicGroup
    icon = "group"
    menu_label = _("Ethnic groups")
    list_display = ["name_vi", "name_en", "language_group"]
    list_filter = ["language_group"]
    search_fields = ["name_vi", "name_en"]


class ProvinceViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    model = Province
    icon = "site"
    menu_label = _("Provinces")
    list_display = ["name_vi", "is_current", "current"]
    list_filter = ["is_current", "kind"]
    search_fields = ["name_vi", "name_en"]


class TeamViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Province teams")
    list_display = ["province", "editors", "reviewers", "collection"]


class TeamEditView(InstancePermissionMixin, snippet_views.EditView):
    instance_action = "change"


class TeamDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_action = "delete"


class TeamHistoryView(InstancePermissionMixin, snippet_views.HistoryView):
    instance_action = "view"  # the log quotes reasons, which may name personal details


class TeamUsageView(InstancePermissionMixin, snippet_views.UsageView):
    instance_action = "view"


class TeamOwnedViewSet(TranslatedBreadcrumbsMixin, SnippetViewSet):
    """People and consents: listed, changed, their history read only in the officer's teams."""

    edit_view_class = TeamEditView
    delete_view_class = TeamDeleteView
    history_view_class = TeamHistoryView
    usage_view_class = TeamUsageView

    def get_queryset(self, request):
        return policy_registry.get_by_type(self.model).instances_user_has_any_permission_for(
            request.user, ["view", "change"]
        )


class PersonViewSet(TeamOwnedViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "role", "ethnic_group", "team"]
    list_filter = ["role", "ethnic_group", "team"]
    # No viewset search_fields: naming fields makes Wagtail's SQLite search query
    # columns its index does not have ("no such column"); the model's own
    # search_fields say what is searched.
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            # A list of the ethnic groups' Vietnamese names: Wagtail's chooser
            # writes its buttons in English when the form class is built.
            FieldRowPanel([FieldPanel("role"), FieldPanel("ethnic_group", widget=forms.Select)]),
            FieldPanel("team"),
            FieldPanel("media_assets"),
            MultiFieldPanel(
                [
                    FieldPanel("birth_year"),
                    FieldPanel("locality"),
                    FieldPanel("contact"),
                    FieldPanel("notes"),
                ],
                heading=_("Personal details (officers only)"),
            ),
        ],
        base_form_class=people_admin.PersonForm,
    )


class ConsentViewSet(TeamOwnedViewSet):
    model = Consent
    icon = "doc-full-inverse"
    menu_label = _("Consents")
    list_display = ["person", "granted_by", "granted_on", "expires_on", "withdrawn_on"]
    list_filter = ["covers_public_display", "withdrawn_on"]
    add_view_class = people_admin.ConsentCreateView
    edit_view_class = people_admin.ConsentEditView
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldPanel("granted_by"),
            FieldRowPanel(
                [
                    FieldPanel("covers_recording"),
                    FieldPanel("covers_public_display"),
                    FieldPanel("covers_research"),
                ],
                heading=_("Consent covers"),
            ),
            FieldRowPanel([FieldPanel("granted_on"), FieldPanel("expires_on")]),
            FieldPanel("signed_form"),
            MultiFieldPanel(
                [FieldPanel("withdrawn_on"), FieldPanel("withdrawal_note")],
                heading=_("Withdrawal"),
            ),
            FieldPanel("reason"),
        ],
        base_form_class=people_admin.ConsentForm,
    )


class ArchiveViewSetGroup(SnippetViewSetGroup):
    items = (PersonViewSet, ConsentViewSet, EthnicGroupViewSet, ProvinceViewSet, TeamViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Archive")
    menu_name = "archive"


register_permission_policy(Person, person_policy)
register_permission_policy(Consent, consent_policy)
register_snippet(ArchiveViewSetGroup)


@hooks.register("register_admin_urls")
def consent_signed_form_url():
    return [
        path(
            "consents/<int:pk>/signed-form/",
            people_admin.signed_form,
            name="heritage_consent_signed_form",
        )
    ]


@hooks.register("register_log_actions")
def register_people_log(actions):
    actions.register_model(Person, TeamLogEntry)
    actions.register_model(Consent, TeamLogEntry)
    actions.register_action(CONSENT_CHANGED)(ConsentChanged)
    actions.register_action(translation_sync.SYNC_ACTION)(translation_sync.SharedFactsSynced)


# Wagtail's own image and document libraries would be a second way in for
# media, past the pipeline and the access rule (their files are served
# without it): masters enter only through "Upload media" and the import.
# Teams hold no permission on them (heritage.curation); their admin pages
# answer 403 for everyone, and their menus, search areas and dashboard
# counts are hidden.
WAGTAIL_LIBRARIES = {"images", "documents"}
WAGTAIL_LIBRARY_SUMMARIES = {"ImagesSummaryItem", "DocumentsSummaryItem"}


def wagtail_library_closed(request, library, rest=""):
    return HttpResponseForbidden(
        gettext("Media enter the archive only through “Upload media” or the record import."),
        content_type="text/plain; charset=utf-8",
    )


# Before Wagtail's own URLs for these libraries (hooks of a lower order come first).
@hooks.register("register_admin_urls", order=-100)
def close_wagtail_libraries():
    return [re_path(r"^(?P<library>images|documents)/(?P<rest>.*)$", wagtail_library_closed)]


@hooks.register("construct_main_menu", order=100)
def hide_wagtail_library_menus(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in WAGTAIL_LIBRARIES]


@hooks.register("construct_search", order=100)
def hide_wagtail_library_search_areas(request, search_areas):
    search_areas[:] = [area for area in search_areas if area.name not in WAGTAIL_LIBRARIES]


# Late, after Wagtail's libraries added their items.
@hooks.register("construct_homepage_summary_items", order=100)
def hide_wagtail_library_summaries(request, summary_items):
    summary_items[:] = [
        item for item in summary_items if type(item).__name__ not in WAGTAIL_LIBRARY_SUMMARIES
    ]


@hooks.register("construct_main_menu", order=100)
def open_explorer_at_officers_province(request, menu_items):
    start_page = dashboard.officer_start_page(request.user)
    if start_page is None:
        return
    menu_items[:] = [
        dashboard.ProvinceExplorerMenuItem(item, start_page) if item.name == "explorer" else item
        for item in menu_items
    ]


# Late, after Wagtail added its count of pages.
@hooks.register("construct_homepage_summary_items", order=100)
def count_officers_records_and_media(request, summary_items):
    start_page = dashboard.officer_start_page(request.user)
    if start_page is not None:
        # Wagtail's count is of every page of the tree, both locales, all provinces.
        summary_items[:] = [
            dashboard.ProvinceRecordsSummaryItem(request, start_page)
            if isinstance(item, PagesSummaryItem)
            else item
            for item in summary_items
        ]
    summary_items.append(dashboard.TeamMediaSummaryItem(request))


# The admin hooks of the coverage report, the record import, the review, the
# officer menus and the stories.
from heritage import (  # noqa: E402, F401
    wagtail_hooks_coverage,
    wagtail_hooks_import,
    wagtail_hooks_officer,
    wagtail_hooks_review,
    wagtail_hooks_stories,
)
