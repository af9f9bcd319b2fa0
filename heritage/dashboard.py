"""What an officer's admin opens on: their province's records and media.

Wagtail counts every page of the tree and opens its explorer at the common
ancestor of the pages a user may edit. A team edits its section in both
locales, whose common ancestor is the tree's root, so an officer would land
on "Root" among every province; here the explorer opens at their own
Vietnamese section(s), and the dashboard counts their province's records
and their team's media.
"""

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.sidebar import PageExplorerMenuItem
from wagtail.models import Locale, Page

from heritage.models import ProvinceIndexPage, RecordPage, Team
from media_pipeline.models import ProcessingState
from media_pipeline.permissions import media_permission_policy


def officer_teams(user):
    """The teams an officer works in; none for a superuser, who works across them."""
    if user.is_superuser:
        return Team.objects.none()
    return Team.objects.editable_by(user)


def officer_start_page(user):
    """The page an officer's explorer opens at, or ``None`` to keep Wagtail's choice.

    Their one section, or the nearest page above all of their sections.
    """
    sections = list(
        ProvinceIndexPage.objects.filter(
            province__team__in=officer_teams(user), locale=Locale.get_default()
        )
    )
    if not sections:
        return None
    if len(sections) == 1:
        return sections[0]
    return Page.objects.first_common_ancestor_of(sections)


class ProvinceExplorerMenuItem(MenuItem):
    """The "Pages" entry, opening at the officer's province instead of Wagtail's root."""

    def __init__(self, explorer_item, start_page):
        super().__init__(
            explorer_item.label,
            reverse("wagtailadmin_explore", args=[start_page.pk]),
            name=explorer_item.name,
            icon_name=explorer_item.icon_name,
            classname=explorer_item.classname,
            order=explorer_item.order,
        )
        self.start_page = start_page

    def render_component(self, request):
        return PageExplorerMenuItem(
            self.name,
            self.label,
            self.url,
            self.start_page.pk,
            icon_name=self.icon_name,
            classname=self.classname,
        )


class ProvinceRecordsSummaryItem(SummaryItem):
    """How many records the officer's province(s) hold, linked to their section."""

    order = 100
    template_name = "heritage/dashboard/records_summary.html"

    def __init__(self, request, start_page):
        super().__init__(request)
        self.start_page = start_page

    def get_context_data(self, parent_context):
        records = RecordPage.objects.filter(
            province__team__in=officer_teams(self.request.user), locale=Locale.get_default()
        )
        counts = records.aggregate(total=Count("pk"), live=Count("pk", filter=Q(live=True)))
        return {**counts, "start_page": self.start_page}


class TeamMediaSummaryItem(SummaryItem):
    """The archive's media the user's teams own (a superuser's: all), with how many failed."""

    order = 200
    template_name = "heritage/dashboard/media_summary.html"

    def is_shown(self):
        return media_permission_policy.user_has_permission(self.request.user, "change")

    def get_context_data(self, parent_context):
        assets = media_permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        counts = assets.aggregate(
            total=Count("pk"),
            ready=Count("pk", filter=Q(state=ProcessingState.READY)),
            failed=Count("pk", filter=Q(state=ProcessingState.FAILED)),
        )
        return {**counts, "list_url": reverse("wagtailsnippets_media_pipeline_mediaasset:list")}
