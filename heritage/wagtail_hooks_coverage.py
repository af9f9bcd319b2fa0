"""Admin menu item (under Reports) and URLs of the coverage report."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from heritage import coverage_urls
from heritage.coverage_views import user_may_see_coverage


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_see_coverage(request.user)


@hooks.register("register_admin_urls")
def register_coverage_urls():
    return [path("coverage/", include(coverage_urls, namespace="heritage_coverage"))]


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem(
        _("Coverage report"),
        reverse("heritage_coverage:report"),
        icon_name="table",
        name="coverage-report",
        order=50,
    )
