"""The read-only JSON API, /api/v1/: the public records, their media, stories and reference data.

Public-only: it answers every client as the anonymous public
(``open_data.records``), whatever session or login comes with the request.
Every endpoint goes through ``open_data.http.open_data_endpoint`` (rate
limit, ETag, 304). Every 4xx is ``{"error": {"status", "code", "message", "field"}}``.
"""

from django.core import signing
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase

from heritage.access import Audience
from heritage.geo import public_coordinates
from heritage.media import RECORD_MEDIA_TYPES
from heritage.models import EthnicGroup, Province, RecordPage
from heritage.models.records import IchDomain
from heritage.models.stories import StoryPage
from media_pipeline.models import MediaAsset
from open_data.dublin_core import as_json, dublin_core
from open_data.http import open_data_endpoint
from open_data.records import (
    LANGUAGES,
    absolute_url,
    described_records,
    permalink,
    public_records,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
CURSOR_SALT = "open_data.api.cursor"
KINDS = ("festival", "custom")


class ApiError(Exception):
    """A 4xx the API answers in its one error shape."""

    def __init__(self, status, code, message, field=None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status, code, message, field=None):
    return JsonResponse(
        {"error": {"status": status, "code": code, "message": str(message), "field": field}},
        status=status,
    )


class StaticSwagger(DocsBase):
    """Swagger UI from our own static files, started by our own script (the site's CSP)."""

    def render_page(self, request, api, **kwargs):
        return render(
            request,
            "open_data/api_docs.html",
            {"openapi_url": self.get_openapi_url(api, kwargs), "api": api},
        )


api = NinjaAPI(
    title="Vietnam Festivals and Customs Archive: open data API",
    version="1",
    description=(
        "Read-only, public records only: the API answers everyone as the anonymous "
        "public and ignores any session. At most 60 requests a minute per address "
        "(429 with Retry-After beyond). Answers carry an ETag: send If-None-Match for a 304."
    ),
    urls_namespace="api_v1",
    docs=StaticSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error_response(exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path")]
    return error_response(
        400, "invalid_parameter", first.get("msg", _("Invalid request.")), ".".join(location)
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(404, "not_found", _("Not found."))


def endpoint(path, **options):
    """A GET operation of the API with the open-data HTTP policy."""

    def register(view):
        return api.get(path, **options)(decorate_view(open_data_endpoint("api"))(view))

    return register


# --- Cursors and filters -----------------------------------------------------


def encode_cursor(last_key):
    return signing.dumps({"after": last_key}, salt=CURSOR_SALT, compress=True)


def decode_cursor(cursor):
    try:
        return signing.loads(cursor, salt=CURSOR_SALT)["after"]
    except (signing.BadSignature, KeyError, TypeError):
        raise ApiError(
            400, "invalid_cursor", _("This cursor is not one the API gave."), "cursor"
        ) from None


def check_limit(limit):
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(
            400,
            "invalid_limit",
            _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
            "limit",
        )
    return limit


def check_values(field, values, allowed):
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ApiError(
            400,
            "unknown_value",
            _("Unknown %(field)s: %(values)s. Known values: %(allowed)s.")
            % {"field": field, "values": ", ".join(unknown), "allowed": ", ".join(allowed)},
            field,
        )
    return values


def next_url(request, cursor):
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute_url(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


# --- Records ------------------------------------------------------------------


def names(item):
    return {"vi": item.name_vi, "en": item.name_en}


def province_ref(province):
    if province is None:
        return None
    return {"slug": province.slug, "name": names(province), "is_current": province.is_current}


def by_language(versions, read):
    """``{"vi": ..., "en": ...}`` of one value, each read in its version's language."""
    values = {}
    for page in versions:
        with translation.override(page.locale.language_code):
            values[page.locale.language_code] = read(page)
    return values


def media_summary(asset):
    return {
        "uuid": str(asset.uuid),
        "media_type": asset.media_type,
        "title": asset.title,
        "url": absolute_url(reverse("api_v1:media_item", args=[asset.uuid])),
    }


def record_item(request, versions, media):
    first = versions[0]
    coordinates = public_coordinates(first)
    return {
        "record_id": first.record_id,
        "kind": first.kind,
        "title": by_language(versions, lambda p: p.title),
        "native_name": first.native_name,
        "summary": by_language(versions, lambda p: p.summary),
        "kind_label": by_language(versions, lambda p: str(p.kind_label)),
        "languages": [page.locale.language_code for page in versions],
        "ethnic_groups": [
            {"slug": group.slug, "name": names(group)} for group in first.ethnic_groups.all()
        ],
        "province": province_ref(first.province),
        "province_as_recorded": province_ref(first.province_as_recorded),
        "locality": first.locality,
        "ich_domain": first.ich_domain or None,
        "timing": {
            "kind": first.timing_kind,
            "label": by_language(versions, lambda p: str(p.timing_label)),
            "lunar_month": first.lunar_month,
            "lunar_day": first.lunar_day,
            "lunar_leap": first.lunar_leap,
            "solar_month": first.solar_month,
            "solar_day": first.solar_day,
            "recurrence": first.recurrence,
            "recurrence_years": first.recurrence_years,
            "season": first.season,
        },
        "recorded_by": by_language(versions, lambda p: p.recorded_by),
        "recorded_on": first.recorded_on.isoformat() if first.recorded_on else None,
        "licence": first.licence,
        "rights_holder": by_language(versions, lambda p: p.rights_holder),
        "coordinates": coordinates
        and {
            "latitude": float(coordinates.latitude),
            "longitude": float(coordinates.longitude),
            "precision": coordinates.precision,
        },
        "permalink": permalink(first.record_id),
        "pages": {page.locale.language_code: page.get_full_url(request) for page in versions},
        "media": [media_summary(asset) for asset in media],
        "dublin_core": as_json(dublin_core(versions, media)),
    }


def describe_records(request, record_ids):
    """API items for ``record_ids``, in their order: a fixed number of queries for any count."""
    described = described_records(record_ids)
    return [
        record_item(request, *described[record_id])
        for record_id in record_ids
        if record_id in described
    ]


@endpoint("/records", url_name="records")
def list_records(
    request,
    ethnic_group: Query[list[str]] = None,
    province: Query[list[str]] = None,
    kind: Query[list[str]] = None,
    ich_domain: Query[list[str]] = None,
    media_type: Query[list[str]] = None,
    language: Query[list[str]] = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str = "",
):
    """Public records, one item per record (both languages), ordered by record_id.

    Filters take repeated values (``?kind=festival&kind=custom``); a value is
    a slug for ethnic groups and provinces. Follow ``next`` for the next page.
    """
    limit = check_limit(limit)
    records = public_records()
    if ethnic_group:
        known = EthnicGroup.objects.values_list("slug", flat=True)
        check_values("ethnic_group", ethnic_group, sorted(known))
        records = records.filter(ethnic_groups__slug__in=ethnic_group)
    if province:
        known = Province.objects.values_list("slug", flat=True)
        check_values("province", province, sorted(known))
        records = records.filter(province__slug__in=province) | records.filter(
            province_as_recorded__slug__in=province
        )
    if kind:
        check_values("kind", kind, KINDS)
        records = records.filter(content_type__model__in=[f"{k}page" for k in kind])
    if ich_domain:
        check_values("ich_domain", ich_domain, IchDomain.values)
        records = records.filter(ich_domain__in=ich_domain)
    if media_type:
        check_values("media_type", media_type, [value for value, _label in RECORD_MEDIA_TYPES])
        with_media = MediaAsset.objects.visible_to(Audience.PUBLIC).filter(
            media_type__in=media_type, renditions__isnull=False
        )
        records = records.filter(
            record_id__in=RecordPage.objects.filter(media_links__asset__in=with_media).values(
                "record_id"
            )
        )
    if language:
        check_values("language", language, LANGUAGES)
        records = records.filter(locale__language_code__in=language)
    if cursor:
        records = records.filter(record_id__gt=decode_cursor(cursor))
    record_ids = list(
        records.order_by("record_id").values_list("record_id", flat=True).distinct()[: limit + 1]
    )
    more = len(record_ids) > limit
    record_ids = record_ids[:limit]
    return JsonResponse(
        {
            "results": describe_records(request, record_ids),
            "next": next_url(request, encode_cursor(record_ids[-1])) if more else None,
            "limit": limit,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("/records/{record_id}", url_name="record")
def get_record(request, record_id: str):
    """One public record; a restricted, draft or unknown id answers the same 404."""
    items = describe_records(request, [record_id])
    if not items:
        raise Http404
    return JsonResponse(items[0], json_dumps_params={"ensure_ascii": False})


# --- Reference data -------------------------------------------------------------


@endpoint("/ethnic-groups", url_name="ethnic_groups")
def list_ethnic_groups(request):
    """The 54 ethnic groups, with their names in both languages and other names."""
    return JsonResponse(
        {
            "results": [
                {
                    "slug": group.slug,
                    "name": names(group),
                    "language_group": group.language_group,
                    "other_names": group.other_names,
                }
                for group in EthnicGroup.objects.order_by("slug")
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("/provinces", url_name="provinces")
def list_provinces(request):
    """Current and former provinces: what each former one is now part of, and the reverse."""
    provinces = Province.objects.select_related("current").prefetch_related("former_units")
    return JsonResponse(
        {
            "results": [
                {
                    **province_ref(province),
                    "kind": province.kind,
                    "now_part_of": province.current.slug if province.current else None,
                    "former_units": sorted(unit.slug for unit in province.former_units.all()),
                }
                for province in provinces.order_by("slug")
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- Media ------------------------------------------------------------------------


def public_media_items():
    """Public media linked to a public record, with what an item shows in one query each."""
    return (
        MediaAsset.objects.visible_to(Audience.PUBLIC)
        .filter(record_links__page__in=public_records())
        .distinct()
        .prefetch_related("renditions", "captions")
    )


def media_item(asset, records_by_asset):
    records = records_by_asset.get(asset.pk, [])
    return {
        "uuid": str(asset.uuid),
        "media_type": asset.media_type,
        "title": asset.title,
        "duration": asset.duration,
        "width": asset.width,
        "height": asset.height,
        "recorded_by": {language: asset.credit(language) for language in LANGUAGES},
        "recorded_on": asset.recorded_on.isoformat() if asset.recorded_on else None,
        "renditions": [
            {
                "name": r.name,
                "kind": r.kind,
                "mime_type": r.mime_type,
                "width": r.width,
                "height": r.height,
                "url": absolute_url(r.url),
            }
            for r in asset.renditions.all()
        ],
        "captions": [
            {"language": c.language, "kind": c.kind, "url": absolute_url(c.url)}
            for c in asset.captions.all()
        ],
        "records": [page.record_id for page in records],
        "licence": sorted({page.licence for page in records}),
        "rights_holder": sorted({page.rights_holder for page in records if page.rights_holder}),
    }


def records_of(assets):
    """Asset pk -> the public records (one version each) it belongs to: one query."""
    found = {}
    pages = (
        public_records()
        .filter(media_links__asset__in=assets)
        .annotate(linked_asset=F("media_links__asset_id"))
        .order_by("record_id")
    )
    for page in pages:
        records = found.setdefault(page.linked_asset, [])
        if page.record_id not in [r.record_id for r in records]:
            records.append(page)
    return found


@endpoint("/media", url_name="media")
def list_media(request, limit: int = DEFAULT_LIMIT, cursor: str = ""):
    """Public media of public records, ordered by uuid; follow ``next``."""
    limit = check_limit(limit)
    assets = public_media_items()
    if cursor:
        assets = assets.filter(uuid__gt=decode_cursor(cursor))
    assets = list(assets.order_by("uuid")[: limit + 1])
    more = len(assets) > limit
    assets = assets[:limit]
    records_by_asset = records_of([a.pk for a in assets])
    return JsonResponse(
        {
            "results": [media_item(asset, records_by_asset) for asset in assets],
            "next": next_url(request, encode_cursor(str(assets[-1].uuid))) if more else None,
            "limit": limit,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("/media/{uuid}", url_name="media_item")
def get_media(request, uuid: str):
    """One public media item; a hidden or unknown one answers the same 404."""
    asset = public_media_items().filter(uuid__iexact=uuid).first() if len(uuid) == 36 else None
    if asset is None:
        raise Http404
    return JsonResponse(
        media_item(asset, records_of([asset.pk])), json_dumps_params={"ensure_ascii": False}
    )


# --- Stories --------------------------------------------------------------------------


@endpoint("/stories", url_name="stories")
def list_stories(request):
    """Published stories, both languages, with the ids of the public records they show."""
    stories = StoryPage.objects.live().select_related("locale").order_by("translation_key", "pk")
    chosen = {}
    for story in stories:
        record_pks, _assets = story.chapters.stream_block.chosen_ids(story.chapters.raw_data)
        chosen[story.pk] = record_pks
    all_pks = {pk for pks in chosen.values() for pk in pks}
    public = dict(
        public_records().filter(pk__in=all_pks).values_list("pk", "record_id") if all_pks else []
    )
    by_key = {}
    for story in stories:
        item = by_key.setdefault(
            str(story.translation_key),
            {
                "id": str(story.translation_key),
                "title": {},
                "intro": {},
                "pages": {},
                "records": [],
            },
        )
        language = story.locale.language_code
        item["title"][language] = story.title
        item["intro"][language] = story.intro
        item["pages"][language] = story.get_full_url(request)
        for pk in chosen[story.pk]:
            if pk in public and public[pk] not in item["records"]:
                item["records"].append(public[pk])
    return JsonResponse(
        {"results": list(by_key.values())}, json_dumps_params={"ensure_ascii": False}
    )
