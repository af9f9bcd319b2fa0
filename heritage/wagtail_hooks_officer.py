"""What Wagtail's admin offers officers beyond their work: its Help menu and its reports.

Wagtail's Help menu links to its English guides on wagtail.org (and the
admin must work without the internet); officers keep its keyboard
shortcuts. The reports of page types and of aging pages count and list
pages across every province and say nothing an officer acts on: they are
for superusers only, in the menu and by URL.
"""

from django.http import HttpResponseForbidden
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

# Wagtail's help menu items that open its English guides online.
WAGTAIL_GUIDES = ("whats-new-in-wagtail-", "editor-guide")

# Report menu item name -> (its URL below admin/reports/, the view behind it).
SUPERUSER_REPORTS = {
    "aging-pages": ("aging-pages/", AgingPagesView),
    "page-types-usage": ("page-types-usage/", PageTypesUsageReportView),
}


@hooks.register("construct_help_menu")
def hide_wagtails_english_guides(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_GUIDES)]


@hooks.register("construct_reports_menu")
def hide_superuser_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in SUPERUSER_REPORTS]


def superusers_only(view):
    """``view`` for superusers; a 403 for any other signed-in user; the login for the rest."""
    admin_view = require_admin_access(view)

    def for_superusers(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            return HttpResponseForbidden(
                gettext("This report is for administrators only."),
                content_type="text/plain; charset=utf-8",
            )
        return admin_view(request, *args, **kwargs)

    return never_cache(for_superusers)


# Wagtail's report URLs come before any admin URL hook, so these are put
# before the admin's own URLs in heritage.urls.
superuser_report_urls = [
    pattern
    for url, view_class in SUPERUSER_REPORTS.values()
    for pattern in (
        path(url, superusers_only(view_class.as_view())),
        path(f"{url}results/", superusers_only(view_class.as_view(results_only=True))),
    )
]
