"""Record search on Elasticsearch 8: one query with the access rule inside it.

The body is built by pure functions (:func:`build_record_query`,
:func:`build_facet_aggs`, :func:`build_search_body`) so tests can assert on it,
and sent by :func:`search_records_es` / :func:`autocomplete_records_es`,
which turn every "the server is not answering" failure into
:class:`SearchUnavailable` for the views to show as "search is temporarily
unavailable" (page) or 503 (API).

Access is enforced by filters in the query itself, never by dropping hits
afterwards, so totals and facet counts never count a record the visitor may
not see. Facet counts are aggregations over the whole result set.
"""

import logging
from dataclasses import dataclass, field

from elasticsearch import ApiError, ConnectionTimeout, TransportError
from elasticsearch import ConnectionError as ESConnectionError
from wagtail.search.backends import get_search_backend

from heritage.access import Access, user_group_ids, user_is_officer
from search.backends.elasticsearch import (
    RECORD_ACCESS,
    RECORD_ALLOWED_GROUPS,
    RECORD_ETHNIC_GROUPS,
    RECORD_KIND,
    RECORD_LANGUAGE,
    RECORD_LUNAR_MONTH,
    RECORD_MEDIA_TYPES,
    RECORD_PROVINCE,
)
from search.text import exact

logger = logging.getLogger(__name__)

RECORD_CONTENT_TYPE = "heritage.RecordPage"

# Column names modelsearch gives RecordPage's fields in the shared page index.
TITLE = "title"
NATIVE_NAME = "heritage_recordpage__native_name"
SUMMARY = "heritage_recordpage__summary"
ETHNIC_GROUPS = "heritage_recordpage__ethnic_groups"
PROVINCE = "heritage_recordpage__province"
PROVINCE_AS_RECORDED = "heritage_recordpage__province_as_recorded"
TITLE_AUTOCOMPLETE = "title_edgengrams"
NATIVE_NAME_AUTOCOMPLETE = "heritage_recordpage__native_name_edgengrams"

# Boosts: names over summary over the rest of the record (body, places, tags).
NAME_BOOST = 4
SUMMARY_BOOST = 2
EXACT_FORM_BOOST = 2
PHRASE_BOOST = 3
GROUP_NAME_BOOST = 2

# facet name -> (document field, buckets asked for: more than the values that exist).
FACETS = {
    "ethnic_group": (RECORD_ETHNIC_GROUPS, 100),
    "province": (RECORD_PROVINCE, 100),
    "kind": (RECORD_KIND, 10),
    "lunar_month": (RECORD_LUNAR_MONTH, 13),
    "media_type": (RECORD_MEDIA_TYPES, 10),
    "language": (RECORD_LANGUAGE, 10),
}


class SearchUnavailable(Exception):
    """The search server did not answer (down, unreachable, timed out or failing)."""


@dataclass
class RecordSearchResults:
    """One page of records (in rank order), the total and the facet counts."""

    records: list
    total: int
    facets: dict = field(default_factory=dict)


def _as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [item for item in value if item not in (None, "")]
    return [value]


def _param(params, name):
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


def access_filter(user_groups, is_officer):
    """The access rule as a filter clause, or None when the user sees everything.

    Mirrors ``RecordQuerySet.visible_to``: officers see every record, others
    see public records plus restricted ones shared with one of their groups.
    """
    if is_officer:
        return None
    public = {"term": {RECORD_ACCESS: Access.PUBLIC.value}}
    groups = sorted(set(user_groups or []))
    if not groups:
        return public
    return {
        "bool": {
            "should": [public, {"terms": {RECORD_ALLOWED_GROUPS: groups}}],
            "minimum_should_match": 1,
        }
    }


def _nested_names(path, fields, text, boost):
    return {
        "nested": {
            "path": path,
            "score_mode": "max",
            "query": {
                "multi_match": {
                    "query": text,
                    "fields": [f"{path}.{name}" for name in fields],
                    "operator": "or",
                    "boost": boost,
                }
            },
        }
    }


def text_clauses(text):
    """The must (recall) and should (ranking) clauses for a visitor's words."""
    must = {
        "multi_match": {
            "query": text,
            "type": "best_fields",
            "operator": "and",
            # Every word must occur somewhere in the record: folded, or stemmed English.
            "fields": ["_all_text", "_all_text.en"],
        }
    }
    should = [
        # Titles and native names over summaries over bodies.
        {
            "multi_match": {
                "query": text,
                "type": "best_fields",
                "operator": "and",
                "fields": [
                    f"{TITLE}^{NAME_BOOST}",
                    f"{NATIVE_NAME}^{NAME_BOOST}",
                    f"{TITLE}.en^{NAME_BOOST}",
                    f"{SUMMARY}^{SUMMARY_BOOST}",
                    f"{SUMMARY}.en^{SUMMARY_BOOST}",
                ],
            }
        },
        # Words typed with their diacritics rank records spelled the same way first.
        {
            "multi_match": {
                "query": text,
                "type": "best_fields",
                "operator": "and",
                "fields": [
                    f"{TITLE}.exact^{NAME_BOOST}",
                    f"{NATIVE_NAME}.exact^{NAME_BOOST}",
                    f"{SUMMARY}.exact^{SUMMARY_BOOST}",
                    "_all_text.exact",
                ],
                "boost": EXACT_FORM_BOOST,
            }
        },
        # The exact phrase ranks first.
        {
            "multi_match": {
                "query": text,
                "type": "phrase",
                "fields": [
                    f"{TITLE}^{NAME_BOOST}",
                    f"{NATIVE_NAME}^{NAME_BOOST}",
                    f"{SUMMARY}^{SUMMARY_BOOST}",
                    "_all_text",
                ],
                "boost": PHRASE_BOOST,
            }
        },
        _nested_names(ETHNIC_GROUPS, ["name_vi", "name_en", "other_names"], text, GROUP_NAME_BOOST),
        _nested_names(PROVINCE, ["name_vi", "name_en"], text, 1),
        _nested_names(PROVINCE_AS_RECORDED, ["name_vi", "name_en"], text, 1),
    ]
    return must, should


def facet_filters(params):
    """Filter clauses for the facet values the visitor picked (AND between facets)."""
    filters = []
    for name, (column, _size) in FACETS.items():
        values = _as_list(_param(params, name))
        if values:
            filters.append({"terms": {column: values}})
    return filters


def build_record_query(params, user_groups, is_officer):
    """The ``query`` clause: records matching the words, visible to the user, in the facets.

    ``params`` is a dict or object with ``q`` and optional facet selections
    named as in :data:`FACETS` (a value or a list of values).
    """
    filters = [
        {"term": {"_django_content_type": RECORD_CONTENT_TYPE}},
        {"term": {"live_filter": True}},
    ]
    rule = access_filter(user_groups, is_officer)
    if rule is not None:
        filters.append(rule)
    filters.extend(facet_filters(params))

    text = exact(_param(params, "q") or "")
    if not text:
        return {"bool": {"must": [{"match_all": {}}], "filter": filters}}
    must, should = text_clauses(text)
    return {"bool": {"must": [must], "should": should, "filter": filters}}


def build_facet_aggs():
    """Aggregations giving the record count of every facet value over the whole result set."""
    return {
        name: {"terms": {"field": column, "size": size}}
        for name, (column, size) in FACETS.items()
    }


def build_search_body(params, user_groups, is_officer, *, offset=0, limit=20):
    """The whole ``_search`` body: query, page, facets and an exact total."""
    body = {
        "query": build_record_query(params, user_groups, is_officer),
        "aggs": build_facet_aggs(),
        "from": max(0, int(offset)),
        "size": max(0, int(limit)),
        "track_total_hits": True,
        "_source": False,
    }
    if not (_param(params, "q") or "").strip():
        # Browsing without words: a stable alphabetical order.
        body["sort"] = [{"title_filter": "asc"}, {"pk": "asc"}]
    return body


def build_autocomplete_body(prefix, user_groups, is_officer, *, limit=8):
    """A ``_search`` body for search-as-you-type on titles and native names."""
    filters = [
        {"term": {"_django_content_type": RECORD_CONTENT_TYPE}},
        {"term": {"live_filter": True}},
    ]
    rule = access_filter(user_groups, is_officer)
    if rule is not None:
        filters.append(rule)
    return {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": exact(prefix),
                            "fields": [
                                f"{TITLE_AUTOCOMPLETE}^{NAME_BOOST}",
                                f"{NATIVE_NAME_AUTOCOMPLETE}^{NAME_BOOST}",
                                "_edgengrams",
                            ],
                            "operator": "and",
                        }
                    }
                ],
                "filter": filters,
            }
        },
        "size": max(0, int(limit)),
        "_source": False,
    }


def _record_index(backend):
    from heritage.models import RecordPage

    return backend.get_index_for_model(RecordPage).name


def _hosts(backend):
    """The servers' addresses for log lines (never the credentials)."""
    return ", ".join(
        f"{host.get('scheme', 'http')}://{host.get('host')}:{host.get('port')}"
        for host in getattr(backend, "hosts", None) or []
        if isinstance(host, dict)
    )


def _send(backend, index, body):
    """Run one search; a server that does not answer raises SearchUnavailable."""
    client = backend.es.options(
        request_timeout=getattr(backend, "search_timeout", 5), max_retries=0
    )
    try:
        return client.search(index=index, **body)
    except (ESConnectionError, ConnectionTimeout, TransportError) as exc:
        logger.error(
            "Search unavailable: Elasticsearch at %s did not answer (%s: %s)",
            _hosts(backend),
            type(exc).__name__,
            exc,
        )
        raise SearchUnavailable(str(exc)) from exc
    except ApiError as exc:
        if exc.meta.status < 500:
            raise
        logger.error(
            "Search unavailable: Elasticsearch at %s answered HTTP %s",
            _hosts(backend),
            exc.meta.status,
        )
        raise SearchUnavailable(f"HTTP {exc.meta.status}") from exc


def _hydrate(response, user):
    """The hits' records from the database, in rank order."""
    from heritage.models import RecordPage

    pks = [int(hit["_id"]) for hit in response["hits"]["hits"]]
    # visible_to() again: a hit indexed before an access change committed
    # must not show. Totals come from the filtered query, not from this.
    pages = RecordPage.objects.visible_to(user).filter(pk__in=pks).specific()
    by_pk = {page.pk: page for page in pages}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _facet_counts(response):
    aggregations = response.get("aggregations") or {}
    return {
        name: [(bucket["key"], bucket["doc_count"]) for bucket in agg.get("buckets", [])]
        for name, agg in aggregations.items()
    }


def search_records_es(params, user, *, offset=0, limit=20, backend=None):
    """Search records on Elasticsearch as ``user`` sees them.

    Returns :class:`RecordSearchResults` (facets as ``{name: [(value, count), ...]}``);
    raises :class:`SearchUnavailable` when Elasticsearch is down or failing.
    """
    backend = backend or get_search_backend()
    body = build_search_body(
        params, user_group_ids(user), user_is_officer(user), offset=offset, limit=limit
    )
    response = _send(backend, _record_index(backend), body)
    return RecordSearchResults(
        records=_hydrate(response, user),
        total=response["hits"]["total"]["value"],
        facets=_facet_counts(response),
    )


def autocomplete_records_es(prefix, user, *, limit=8, backend=None):
    """Records whose title or native name starts with the words typed so far."""
    if not (prefix or "").strip():
        return []
    backend = backend or get_search_backend()
    body = build_autocomplete_body(prefix, user_group_ids(user), user_is_officer(user), limit=limit)
    return _hydrate(_send(backend, _record_index(backend), body), user)
