"""Search views: a form parses the request, ``search_records`` searches, a template renders."""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from heritage.geo import public_coordinates
from heritage.text import in_dictionary_order
from search.forms import SearchForm
from search.query import (
    FACETS,
    SearchResult,
    SearchUnavailable,
    search_records,
    suggest_records,
)

logger = logging.getLogger(__name__)

SUGGEST_LIMIT = 8
FACET_PARAMS = {"media_type": "media"}


class SearchFailed(Exception):
    """The search backend failed; the visitor sees a message, never a trace."""


def _run(form):
    params = form.to_params(lang=(get_language() or "vi")[:2])
    try:
        return search_records(params, form.user)
    except SearchUnavailable as exc:
        logger.error("Search backend unavailable: %s", exc)
        raise SearchFailed from exc
    except DatabaseError as exc:
        logger.exception("Record search failed for %r", params.q[:200])
        raise SearchFailed from exc


@require_GET
def search_page(request):
    # No words and no filters: every record the visitor may see, with all facets.
    form = SearchForm(request.GET)
    form.user = request.user
    context = {"form": form, "result": None, "error": None}
    if form.is_valid():
        try:
            result = _run(form)
        except SearchFailed:
            context["error"] = _("Search is temporarily unavailable. Please try again later.")
        else:
            context["result"] = result
            context["facet_groups"] = facet_groups(request, result)
            context["pages"] = page_links(request, result)
    return render(request, "pages/search.html", context)


def facet_groups(request, result):
    """Facets with links that toggle each value, keeping the rest of the query."""
    titles = {
        "ethnic_group": _("Ethnic group"),
        "province": _("Province"),
        "kind": _("Kind of record"),
        "lunar_month": _("Lunar month"),
        "media_type": _("Media type"),
        "language": _("Language"),
    }
    groups = []
    for name in FACETS:
        param = FACET_PARAMS.get(name, name)
        items = []
        for item in result.facets.get(name, []):
            query = request.GET.copy()
            query.pop("page", None)
            values = query.getlist(param)
            value = str(item.value)
            if value in values:
                values.remove(value)
            else:
                values.append(value)
            query.setlist(param, values)
            items.append({"item": item, "url": "?" + query.urlencode()})
        if items:
            groups.append({"name": name, "title": titles[name], "items": items})
    return groups


def page_links(request, result):
    def url(number):
        query = request.GET.copy()
        query["page"] = number
        return "?" + query.urlencode()

    page = result.params.page
    return {
        "number": page,
        "total": result.num_pages,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < result.num_pages else None,
    }


def _error(message, errors=None, status=400):
    body = {"error": message}
    if errors:
        body["errors"] = {field: [str(e) for e in errs] for field, errs in errors.items()}
    return JsonResponse(body, status=status)


def coordinates_json(page):
    coordinates = public_coordinates(page)
    if coordinates is None:
        return None
    return {
        "latitude": float(coordinates.latitude),
        "longitude": float(coordinates.longitude),
        "precision": coordinates.precision,
    }


def hit_json(hit, request):
    page = hit.page
    return {
        "record_id": hit.record_id,
        "title": page.title,
        "url": page.get_url(request),
        "language": hit.language,
        "kind": page.kind,
        "ethnic_groups": [g.display_name for g in in_dictionary_order(page.ethnic_groups.all())],
        "province": page.province.display_name if page.province_id else None,
        "coordinates": coordinates_json(page),
        "snippet": str(hit.snippet),
    }


def result_json(result: SearchResult, request):
    return {
        "count": result.count,
        "page": result.params.page,
        "page_size": result.params.page_size,
        "query": result.params.q,
        "relaxed": result.relaxed or None,
        "corrected_query": result.corrected_query or None,
        "results": [hit_json(hit, request) for hit in result.hits],
        "facets": {
            name: [
                {"value": item.value, "label": item.label, "count": item.count} for item in items
            ]
            for name, items in result.facets.items()
        },
    }


@require_GET
def api_search(request):
    """JSON search: ``count``, ``results`` (one page) and ``facets`` over the whole set."""
    form = SearchForm(request.GET)
    form.user = request.user
    if not form.is_valid():
        return _error(_("Invalid search parameters."), form.errors)
    try:
        result = _run(form)
    except SearchFailed:
        return _error(_("Search is temporarily unavailable."), status=503)
    return JsonResponse(result_json(result, request), json_dumps_params={"ensure_ascii": False})


@require_GET
def api_suggest(request):
    """Autocomplete: up to 8 records whose title starts with what was typed."""
    text = request.GET.get("q", "").replace("\x00", " ")[:200]
    lang = request.GET.get("lang") or (get_language() or "vi")[:2]
    if lang not in {"vi", "en"}:
        return _error(_("Invalid search parameters."), {"lang": [_("Unknown language.")]})
    try:
        hits = suggest_records(text, request.user, lang=lang, limit=SUGGEST_LIMIT)
    except SearchUnavailable as exc:
        logger.error("Search backend unavailable: %s", exc)
        return _error(_("Search is temporarily unavailable."), status=503)
    except DatabaseError:
        logger.exception("Suggestions failed for %r", text)
        return _error(_("Search is temporarily unavailable."), status=503)
    return JsonResponse(
        {
            "query": text,
            "suggestions": [
                {
                    "record_id": hit.record_id,
                    "title": hit.page.title,
                    "url": hit.page.get_url(request),
                }
                for hit in hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
