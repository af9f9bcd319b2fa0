"""Compressed pages: Django's GZipMiddleware, for what the site writes itself."""

from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    """Gzip pages, JSON and playlists; pass streamed files through untouched.

    Django's middleware would also gzip a streamed file: a video's byte
    range (206) would then no longer be the range asked for, and media are
    compressed already. Static files never get here (WhiteNoise sends its
    own gzip and brotli copies).
    """

    def process_response(self, request, response):
        if response.streaming:
            return response
        return super().process_response(request, response)
