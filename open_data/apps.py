from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "open_data"
    verbose_name = _("Open data")

    def ready(self):
        from open_data import signal_handlers

        signal_handlers.register()
