from django.urls import path

from open_data.oai_views import oai_pmh

urlpatterns = [path("", oai_pmh, name="oai_pmh")]
