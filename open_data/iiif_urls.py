"""IIIF addresses, outside the language prefixes: viewers fetch them across origins."""

from django.urls import path

from open_data import iiif_views

app_name = "iiif"

urlpatterns = [
    path("<str:record_id>/manifest.json", iiif_views.manifest, name="manifest"),
    path("image/<str:token>", iiif_views.image_service, name="image_service"),
    path("image/<str:token>/info.json", iiif_views.image_info, name="image_info"),
    path(
        "image/<str:token>/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:fmt>",
        iiif_views.image,
        name="image",
    ),
]
