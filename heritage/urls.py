from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap

from heritage import calendar_views, views
from heritage.sitemaps import ArchiveSitemap
from heritage.wagtail_hooks_officer import superuser_report_urls

urlpatterns = [
    path("admin/reports/", include(superuser_report_urls)),  # before Wagtail's own
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include("media_pipeline.urls")),
    path("iiif/", include("open_data.iiif_urls")),
    path("oai/", include("open_data.oai_urls")),
    path("api/v1/", include("open_data.api_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"archive": ArchiveSitemap}}),
    path("robots.txt", views.robots_txt),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("r/<str:record_id>/", views.permalink, name="record_permalink"),
    path("ethnic-groups/", views.ethnic_group_index, name="ethnic_group_index"),
    path("ethnic-groups/<slug:slug>/", views.ethnic_group_detail, name="ethnic_group_detail"),
    path("calendar/", calendar_views.calendar_month, name="festival_calendar"),
    path(
        "calendar/<int:year>/<int:month>/",
        calendar_views.calendar_month,
        name="festival_calendar_month",
    ),
    path("calendar.ics", calendar_views.calendar_ics, name="festival_calendar_ics"),
    path("provinces/", views.province_list, name="province_list"),
    path("map/", views.province_map, name="province_map"),
    path("domains/", views.ich_domain_index, name="ich_domain_index"),
    path("domains/<slug:slug>/", views.ich_domain_detail, name="ich_domain_detail"),
    path("open-data/", include("open_data.urls")),
    path("", include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns()
        + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        + urlpatterns
    )
