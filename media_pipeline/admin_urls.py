"""Admin URLs, mounted under /admin/media-upload/ by wagtail_hooks (admin login required)."""

from django.urls import path
from django.views.decorators.csrf import ensure_csrf_cookie

from media_pipeline import admin_views

app_name = "media_pipeline_admin"

urlpatterns = [
    path("", ensure_csrf_cookie(admin_views.upload_page), name="upload"),
    path("tus/", admin_views.tus_upload, name="tus_upload"),
    path("tus/<uuid:uid>/", admin_views.tus_resource, name="tus_resource"),
    path("assets/<int:pk>/status/", admin_views.status, name="status"),
    path("assets/<int:pk>/retry/", admin_views.retry, name="retry"),
]
