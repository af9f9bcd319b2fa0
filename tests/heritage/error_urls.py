"""The site's URLs plus one view that fails, to see the 500 page as visitors would."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from heritage.urls import urlpatterns as site_urlpatterns


class ArchiveBroke(Exception):
    pass


def broken_view(request):
    raise ArchiveBroke("a test view that always fails")


urlpatterns = [
    *i18n_patterns(path("broken/", broken_view), prefix_default_language=False),
    *site_urlpatterns,
]
