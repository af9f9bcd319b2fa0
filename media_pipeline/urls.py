"""Public URLs: every media file goes through the access-checked view."""

from django.urls import path

from media_pipeline import views

app_name = "media_pipeline"

urlpatterns = [
    path("<str:token>/<path:path>", views.serve_file, name="file"),
]
