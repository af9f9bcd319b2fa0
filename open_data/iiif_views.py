"""The IIIF endpoints: a record's manifest and the level-0 image service of its photos.

Each answers what any visitor may see, whoever asks, and a 404 identical to a
missing one otherwise (a restricted record or item is not there). They never
read the session, so their answers are the same for all and cache publicly.
"""

import json
import re

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from heritage.models.records import RECORD_ID_PATTERN
from media_pipeline.views import public_cache_seconds, serve_file
from open_data import iiif
from open_data.http import open_data_endpoint
from open_data.records import versions_of


def _public(response):
    patch_cache_control(response, public=True, max_age=public_cache_seconds())
    return response


@require_safe
@open_data_endpoint("iiif")
def manifest(request, record_id):
    """The Presentation 3.0 manifest of a public record."""
    if not re.match(RECORD_ID_PATTERN, record_id):  # e.g. NUL, which PostgreSQL refuses
        raise Http404
    versions = versions_of(record_id)
    if not versions:
        raise Http404
    body = iiif.record_manifest(versions).json()
    return _public(HttpResponse(body, content_type=iiif.MANIFEST_CONTENT_TYPE))


@require_safe
def image_service(request, token):
    """The bare service id: IIIF clients are sent on to its info.json."""
    if iiif.public_image(token) is None:
        raise Http404
    response = HttpResponse(status=303)
    response["Location"] = f"{request.path.rstrip('/')}/info.json"
    return response


@require_safe
@open_data_endpoint("iiif")
def image_info(request, token):
    """The level-0 info.json of a public photo."""
    asset = iiif.public_image(token)
    info = iiif.image_info(asset) if asset is not None else None
    if info is None:
        raise Http404
    body = json.dumps(info, ensure_ascii=False)
    return _public(HttpResponse(body, content_type=iiif.IMAGE_INFO_CONTENT_TYPE))


@require_safe
def image(request, token, region, size, rotation, quality, fmt):
    """One of the photo's static JPEG sizes, as the access-checked file view sends it."""
    if (region, rotation, quality, fmt) != ("full", "0", "default", "jpg"):
        raise Http404
    asset = iiif.public_image(token)
    rendition = iiif.image_rendition(asset, size) if asset is not None else None
    if rendition is None:
        raise Http404
    return serve_file(request, token, rendition.path)
