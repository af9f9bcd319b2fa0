"""The site's URLs and one minimal Django view: the baseline each page is measured against."""

from django.http import HttpResponse
from django.urls import path

from heritage.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
