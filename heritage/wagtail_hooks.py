"""Admin registration of the archive's reference data and people."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from heritage.models import Consent, EthnicGroup, Person, Province, Team


class EthnicGroupViewSet(SnippetViewSet):
    model = EthnicGroup
    icon = "group"
    menu_label = _("Ethnic groups")
    list_display = ["name_vi", "name_en", "language_group"]
    list_filter = ["language_group"]
    search_fields = ["name_vi", "name_en"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    menu_label = _("Provinces")
    list_display = ["name_vi", "is_current", "current"]
    list_filter = ["is_current", "kind"]
    search_fields = ["name_vi", "name_en"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Province teams")
    list_display = ["province", "editors", "reviewers", "collection"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "role", "ethnic_group", "team"]
    list_filter = ["role", "ethnic_group", "team"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("ethnic_group")]),
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
    ]


class ConsentViewSet(SnippetViewSet):
    model = Consent
    icon = "doc-full-inverse"
    menu_label = _("Consents")
    list_display = ["person", "granted_by", "granted_on", "expires_on", "withdrawn_on"]
    list_filter = ["covers_public_display", "withdrawn_on"]
    panels = [
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
    ]


class ArchiveViewSetGroup(SnippetViewSetGroup):
    items = (PersonViewSet, ConsentViewSet, EthnicGroupViewSet, ProvinceViewSet, TeamViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Archive")
    menu_name = "archive"


register_snippet(ArchiveViewSetGroup)

from heritage import wagtail_hooks_import  # noqa: E402, F401  (record import admin)
