"""Serving media files through the access check.

Design: every rendition, caption and master lives in the *private* storage,
under a random per-run folder, and the only way to reach one is
``/files/<token>/<path>``.  The view asks ``MediaAsset.objects.visible_to``
(the archive's one access rule) on every request, so restricting an asset,
unpublishing its record or withdrawing a consent takes effect on the next
request, with nothing to move or purge.  Public assets are sent with a short
public cache lifetime; restricted ones with ``private, no-store``.  Local
files are streamed (with HTTP ranges, for seeking in MP4/M4A); on S3 the
view redirects to a short-lived signed URL.  HLS playlists are always served
by the view: their relative URIs resolve back to this view for local
storage, and on S3 segment and init URIs are rewritten to signed URLs.
"""

import hashlib
import mimetypes
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from media_pipeline.models import MediaAsset
from media_pipeline.permissions import media_permission_policy
from media_pipeline.renditions import content_type
from media_pipeline.storage import is_local, private_storage

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_MAP_URI = re.compile(r'(#EXT-X-MAP:.*URI=")([^"]+)(")')


def _mime(path):
    mime = content_type(path)
    if mime == "application/octet-stream":
        mime = mimetypes.guess_type(path)[0] or mime
    return mime


def public_cache_seconds():
    # Short, so a shared cache stops serving a file within a minute of it being
    # hidden; ETag and Last-Modified keep revalidation cheap.
    return int(getattr(settings, "MEDIA_PUBLIC_CACHE_SECONDS", 60))


def _validators(storage, name):
    """ETag and Last-Modified of a stored file (each processing run writes new names)."""
    modified = storage.get_modified_time(name)
    fingerprint = f"{name}:{storage.size(name)}:{modified.timestamp()}"
    return quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32]), modified


# What ``new_token`` makes (URL-safe base64), within the field's length.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _resolve(asset, path, user):
    """The storage name behind a public path of the asset, or None."""
    if path == "master":
        # Seeing an asset is not having its master: that stays with its own team.
        may_have_it = media_permission_policy.user_has_any_permission_for_instance(
            user, ["change", "choose"], asset
        )
        return asset.file.name if may_have_it else None
    if path.startswith("captions/"):
        for caption in asset.captions.all():
            if caption.path == path:
                return caption.file.name
        return None
    if not asset.renditions_prefix:
        return None
    for rendition in asset.renditions.all():
        if path in rendition.files:
            return f"{asset.renditions_prefix}/{path}"
    return None


def _cache(response, public):
    if public:
        patch_cache_control(response, public=True, max_age=public_cache_seconds())
    else:
        patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _rewrite_playlist(text, storage, folder):
    """Point segment and init URIs at signed storage URLs; playlists stay on the view."""

    def sign(uri):
        if "://" in uri or uri.endswith(".m3u8"):
            return uri
        return storage.url(f"{folder}/{uri}")

    lines = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            line = _MAP_URI.sub(lambda m: m.group(1) + sign(m.group(2)) + m.group(3), line)
        elif line and not line.startswith("#"):
            line = sign(line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def _ranged(request, storage, name, mime):
    size = storage.size(name)
    match = _RANGE.match(request.headers.get("Range", ""))
    if not match or not any(match.groups()):
        response = FileResponse(storage.open(name, "rb"), content_type=mime)
        response["Content-Length"] = size
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    fh = storage.open(name, "rb")
    fh.seek(start)

    def chunks(remaining=end - start + 1):
        try:
            while remaining > 0:
                data = fh.read(min(remaining, 256 * 1024))
                if not data:
                    break
                remaining -= len(data)
                yield data
        finally:
            fh.close()

    response = StreamingHttpResponse(chunks(), status=206, content_type=mime)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = end - start + 1
    response["Accept-Ranges"] = "bytes"
    return response


@require_safe
def serve_file(request, token, path):
    """A file of an asset the visitor may see; 404 (like a missing file) otherwise."""
    if not TOKEN_RE.fullmatch(token):  # e.g. NUL, which PostgreSQL refuses in a query
        raise Http404
    # A file everyone may see is answered without reading the visitor's
    # session: the response is then the same for all, with no "Vary: Cookie"
    # keeping it out of shared caches.
    asset = None
    if path != "master":
        asset = MediaAsset.objects.visible_to(AnonymousUser()).filter(token=token).first()
    public = asset is not None
    if asset is None:
        asset = MediaAsset.objects.visible_to(request.user).filter(token=token).first()
    if asset is None:
        raise Http404
    name = _resolve(asset, path, request.user)
    if name is None:
        raise Http404
    storage = private_storage()
    mime = _mime(path) if path != "master" else "application/octet-stream"
    if path.endswith(".m3u8"):
        with storage.open(name, "rb") as fh:
            text = fh.read().decode("utf-8")
        if not is_local(storage):
            text = _rewrite_playlist(text, storage, name.rsplit("/", 1)[0])
            public = False  # signed URLs inside expire
        return _cache(HttpResponse(text, content_type=mime), public)
    if not is_local(storage):
        try:
            url = storage.url(name)
        except FileNotFoundError as exc:
            raise Http404 from exc
        return _cache(HttpResponseRedirect(url), False)
    try:
        etag, modified = _validators(storage, name)
        response = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp())
        ) or _ranged(request, storage, name, mime)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    if path == "master":
        response["Content-Disposition"] = (
            f'attachment; filename="{asset.file.name.rsplit("/", 1)[-1]}"'
        )
    return _cache(response, public)
