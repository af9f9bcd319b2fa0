from django.urls import path

from open_data import views

urlpatterns = [
    path("", views.open_data_page, name="open_data"),
    path("files/<str:name>", views.download, name="open_data_file"),
    path("catalog.<str:extension>", views.catalog, name="open_data_catalog"),
]
