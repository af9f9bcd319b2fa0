from django.urls import path

from heritage import import_views

app_name = "heritage_import"
urlpatterns = [
    path("", import_views.index, name="index"),
    path("<int:pk>/", import_views.detail, name="detail"),
    path("<int:pk>/status/", import_views.status, name="status"),
]
