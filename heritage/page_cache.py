"""Anonymous public pages from the shared cache, forgotten when what visitors see changes.

A visitor without a session is anonymous: every such visitor gets the same
page for the same URL (the language is in the URL), so a page rendered for
one serves the next ones without touching the database. Cached pages are
kept under a *generation*: ``clear_page_cache`` starts a new one, so every
page cached before it is forgotten at once (old entries expire or are
culled). The key is read when a request starts, so a page rendered from
data older than a change is stored under the old generation, never served
after the change.
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache

from heritage import sensitivity

GENERATION_KEY = "page-cache:generation"
# Officers' screens, media (checked per request), language switching and the JSON API.
UNCACHED_PREFIXES = ("/admin/", "/files/", "/i18n/", "/api/")
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def clear_page_cache():
    """Forget every cached page (called as a change commits: signal_handlers.py)."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def is_anonymous_page_request(request):
    """A GET for a public page by a visitor with no session (so no user) and no messages.

    A visitor who acknowledged a sensitivity warning sees what others must
    first agree to see, so their pages are neither served from nor put in the cache.
    """
    return (
        request.method == "GET"
        and not request.path_info.startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and sensitivity.COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request):
    gzip = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|gzip={gzip}"
    return f"page-cache:{_generation()}:{hashlib.sha256(url.encode()).hexdigest()}"


def is_shareable(response):
    """A complete 200 page that sets no cookie and does not ask to stay private."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not is_anonymous_page_request(request):
            return self.get_response(request)
        key = page_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if is_shareable(response):
            cache.set(key, response, seconds)
        return response
