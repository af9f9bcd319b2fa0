"""The breadcrumbs of the archive's snippet screens, in the officer's language.

Wagtail's ``SnippetViewSet`` builds its "Home" crumb with an eager gettext
while the URLs load, before any request has chosen a language, so every
officer would read it in English.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy


class TranslatedBreadcrumbsMixin:
    """For a ``SnippetViewSet``: the crumbs translated when the page is drawn."""

    @property
    def breadcrumbs_items(self):
        return [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]
