"""The HTTP policy every open-data endpoint shares: rate limit and conditional GET.

Apply it to a view with ``@open_data_endpoint("api")`` (the name picks the
rate in ``settings.OPEN_DATA_RATES``: "api", "oai", "downloads"). CORS for
the same URLs is django-cors-headers' job (``CORS_URLS_REGEX`` in settings).

The limit counts requests per client address in the shared cache
(``CACHES["default"]``), so every server process agrees. Open data is the
public's: a session changes nothing it answers, so nobody is exempt.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_for(name):
    """The rate ("60/m") configured for an endpoint family."""
    return settings.OPEN_DATA_RATES[name]


def period_seconds(rate):
    """How long one window of a rate such as "60/m" or "10/5m" lasts, in seconds."""
    _count, period = rate.split("/")
    multiplier = int(period[:-1] or 1)
    return multiplier * PERIODS[period[-1]]


def too_many_requests(rate):
    """The 429 answer: JSON in the API's error shape, with ``Retry-After``."""
    seconds = period_seconds(rate)
    response = JsonResponse(
        {
            "error": {
                "status": 429,
                "code": "rate_limited",
                "message": _("Too many requests: at most %(rate)s. Try again in %(seconds)s s.")
                % {"rate": rate, "seconds": seconds},
                "field": None,
            }
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def with_validators(request, response):
    """Give a 200 answer an ETag; answer 304 when the client has it (or its Last-Modified)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    # The same for everyone: shared caches may keep it, and it never varies on a cookie.
    response.setdefault("Cache-Control", "public, max-age=60")
    patch_vary_headers(response, ["Accept-Encoding"])
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def open_data_endpoint(name="api"):
    """Decorate an open-data view: rate-limited per client, ETag and 304 on its answers."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = rate_for(name)
            if is_ratelimited(
                request, group=f"open-data:{name}", key="ip", rate=rate, increment=True
            ):
                return too_many_requests(rate)
            return with_validators(request, view(request, *args, **kwargs))

        return wrapped

    return decorate
