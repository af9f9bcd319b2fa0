from django.urls import path, re_path

from heritage import import_views

app_name = "heritage_import"
urlpatterns = [
    path("", import_views.index, name="index"),
    re_path(r"^template\.(?P<extension>csv|xlsx)$", import_views.template, name="template"),
    path("<int:pk>/", import_views.detail, name="detail"),
    path("<int:pk>/submit/", import_views.submit, name="submit"),
    path("<int:pk>/status/", import_views.status, name="status"),
]
