"""Admin menu item and URLs of the record import."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from heritage import import_urls
from heritage.import_views import user_may_import


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import-records/", include(import_urls, namespace="heritage_import"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import records"),
        reverse("heritage_import:index"),
        icon_name="upload",
        name="import-records",
        order=260,
    )
