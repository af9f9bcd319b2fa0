"""Which sensitivity warnings a visitor has acknowledged, kept in one cookie.

A visitor acknowledges a sensitive record once, in any language: the cookie
holds the record's ``record_id`` (shared by its translations), not a URL, so
the English page of a record acknowledged in Vietnamese opens directly. A
media item with its own warning is acknowledged as ``media:<asset id>``.
It works without JavaScript: the warning's button is a GET form with
``ack=1`` (this record) or ``ack=media:<id>``, and the record page sets the
cookie on its answer.
"""

import re

COOKIE = "sensitive_ok"
# Separator legal in a cookie value and in neither a record_id nor a media key.
SEPARATOR = "|"
MAX_KEYS = 60  # a cookie stays far below 4 KB
ONE_YEAR = 365 * 24 * 3600
_RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_MEDIA_KEY = re.compile(r"^media:\d{1,12}$")


def media_key(asset):
    return f"media:{asset.pk}"


def _valid(key):
    return bool(_RECORD_ID.match(key) or _MEDIA_KEY.match(key))


def _from_cookie(request):
    raw = request.COOKIES.get(COOKIE, "")
    return [key for key in raw.split(SEPARATOR) if _valid(key)]


def requested_key(request, record_id):
    """The key this request acknowledges (``?ack=``), or None."""
    value = request.GET.get("ack", "")
    if value == "1":
        return record_id
    return value if _MEDIA_KEY.match(value) else None


def acknowledged(request, record_id=None):
    """The keys this visitor has acknowledged, this request's ``?ack=`` included."""
    if request is None:
        return set()
    cached = getattr(request, "_sensitive_acknowledged", None)
    if cached is None:
        cached = set(_from_cookie(request))
        request._sensitive_acknowledged = cached
    key = requested_key(request, record_id) if record_id else None
    return cached | {key} if key else cached


def remember(request, response, record_id):
    """Add this request's acknowledgement (if any) to the visitor's cookie."""
    key = requested_key(request, record_id)
    if key is None:
        return response
    keys = [k for k in _from_cookie(request) if k != key] + [key]
    response.set_cookie(
        COOKIE,
        SEPARATOR.join(keys[-MAX_KEYS:]),
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
