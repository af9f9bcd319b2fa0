import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media")

    def ready(self):
        from media_pipeline import signal_handlers

        signal_handlers.register()
        # S3 stores the Content-Type guessed from the name; teach it our types.
        for mime, ext in (
            ("application/vnd.apple.mpegurl", ".m3u8"),
            ("video/iso.segment", ".m4s"),
            ("text/vtt", ".vtt"),
            ("audio/mp4", ".m4a"),
            ("image/avif", ".avif"),
            ("image/webp", ".webp"),
        ):
            mimetypes.add_type(mime, ext)
