from django.urls import path

from open_data.api import api

# Ninja's urls come with their namespace ("api_v1"); heritage/urls.py includes
# this module by name, as it includes every open-data surface.
urlpatterns = [path("", api.urls)]
