"""Record search on Elasticsearch 8: one query with the access rule inside it.

:class:`ElasticsearchSearch` is the Elasticsearch implementation of
``search.query.RecordSearchBackend``; ``search.query.get_backend()`` picks it
when ``WAGTAILSEARCH_BACKENDS["default"]`` is an Elasticsearch backend.

The request bodies are built by pure functions (:func:`build_record_query`,
:func:`build_facet_aggs`, :func:`build_search_body`,
:func:`build_suggest_body`) so tests can assert on them. Sending them turns
every "the server is not answering" failure (connection refused, timeout,
HTTP 5xx) into :class:`SearchUnavailable`, which the views show as "search is
temporarily unavailable" (page) or 503 (API); a clear line is logged.

Access is a filter inside the query, never a sieve over the hits afterwards,
so totals and facet counts never count a record the visitor may not see.
Translations of one record collapse to one hit (``collapse`` on record_id);
totals and facet counts count records (``cardinality`` of record_id), except
the language facet, which counts pages as the database backend does. Facets
are aggregations over the whole result set, not over the page shown.
"""

import logging

from elasticsearch import ApiError, ConnectionTimeout, TransportError
from elasticsearch import ConnectionError as ESConnectionError
from wagtail.search.backends import get_search_backend

from heritage.access import Access, Audience
from search.backends.elasticsearch import (
    RECORD_ACCESS,
    RECORD_ALLOWED_GROUPS,
    RECORD_ETHNIC_GROUPS,
    RECORD_ID,
    RECORD_KIND,
    RECORD_LANGUAGE,
    RECORD_LUNAR_MONTH,
    RECORD_MEDIA_TYPES,
    RECORD_PROVINCE,
    RECORD_SORT_TITLE,
)
from search.query import RawResult, RecordSearchBackend, SearchUnavailable

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
ALL_TEXT = "_all_text"

# Boosts: names over summary over the rest of the record (body, places, tags).
NAME_BOOST = 4
SUMMARY_BOOST = 2
EXACT_FORM_BOOST = 2
PHRASE_BOOST = 3
GROUP_NAME_BOOST = 2
# Constant scores that order records in tiers, as the database backend's re-ranking
# does: an exact form anywhere, then the words as a phrase, then the record's own
# group named. Each is far above what the tiers below it and the BM25 clauses
# add up to, so a record spelled as typed in its body outranks one that only
# folds to the query in its title.
EXACT_FORM_TIER = 1000
PHRASE_TIER = 300
OWN_GROUP_NAME_TIER = 100

# facet name -> (document field, buckets asked for: more than the values that exist).
FACETS = {
    "ethnic_group": (RECORD_ETHNIC_GROUPS, 100),
    "province": (RECORD_PROVINCE, 100),
    "kind": (RECORD_KIND, 10),
    "lunar_month": (RECORD_LUNAR_MONTH, 13),
    "media_type": (RECORD_MEDIA_TYPES, 10),
    "language": (RECORD_LANGUAGE, 10),
}
# Facets counted in pages (one per translation) rather than in records.
PAGE_COUNTED_FACETS = {"language"}
# Below this many distinct records, cardinality counts are exact.
CARDINALITY_PRECISION = 40000

SORTS = {
    "relevance": [{"_score": "desc"}, {RECORD_ID: "asc"}],
    "title": [{RECORD_SORT_TITLE: "asc"}, {RECORD_ID: "asc"}],
    "lunar_month": [
        {RECORD_LUNAR_MONTH: {"order": "asc", "missing": "_last"}},
        {RECORD_SORT_TITLE: "asc"},
        {RECORD_ID: "asc"},
    ],
}


def access_filter(audience):
    """The access rule for an :class:`~heritage.access.Audience` as a filter clause,
    or None when the audience sees everything.

    Mirrors ``RecordQuerySet.visible_to``: officers see every record, others
    see public records plus restricted ones shared with one of their groups.
    """
    if audience.is_officer:
        return None
    public = {"term": {RECORD_ACCESS: Access.PUBLIC.value}}
    groups = sorted(audience.group_ids)
    if not groups:
        return public
    return {
        "bool": {
            "should": [public, {"terms": {RECORD_ALLOWED_GROUPS: groups}}],
            "minimum_should_match": 1,
        }
    }


def base_filters(audience):
    """Live records the audience may see."""
    filters = [
        {"term": {"_django_content_type": RECORD_CONTENT_TYPE}},
        {"term": {"live_filter": True}},
    ]
    rule = access_filter(audience)
    if rule is not None:
        filters.append(rule)
    return filters


def facet_filters(params):
    """Filter clauses for the facet values the visitor picked (AND between facets)."""
    filters = []
    for name, (column, _size) in FACETS.items():
        values = list(getattr(params, name, None) or [])
        if values:
            filters.append({"terms": {column: values}})
    return filters


def _words(clause_words):
    return " ".join(clause_words)


def match_clauses(query):
    """The clauses that decide whether a record matches (recall), joined by the query's operator.

    Plain words go into one ``multi_match`` with the operator set explicitly,
    phrases typed in quotes must appear as phrases, and with ``query.prefix``
    the last word may be incomplete.
    """
    clauses = list(query.clauses)
    prefix_clause = clauses.pop() if query.prefix and clauses else None
    words = [w for clause in clauses if not clause.phrase for w in clause.folded]
    out = []
    if words:
        out.append(
            {
                "multi_match": {
                    "query": _words(words),
                    "type": "best_fields",
                    "operator": query.operator,
                    # Folded, or stemmed English.
                    "fields": [ALL_TEXT, f"{ALL_TEXT}.en"],
                }
            }
        )
    for clause in clauses:
        if clause.phrase:
            out.append({"match_phrase": {ALL_TEXT: _words(clause.folded)}})
    if prefix_clause is not None:
        out.append({"match_bool_prefix": {ALL_TEXT: _words(prefix_clause.folded)}})
    return out


def ranking_clauses(query):
    """Optional clauses that only add to the score: the tiers (exact forms, whole phrase,
    own group named) and, within a tier, names first."""
    folded = _words(query.folded_words)
    should = [
        # Titles and native names over summaries over bodies.
        {
            "multi_match": {
                "query": folded,
                "type": "best_fields",
                "operator": query.operator,
                "fields": [
                    f"{TITLE}^{NAME_BOOST}",
                    f"{NATIVE_NAME}^{NAME_BOOST}",
                    f"{TITLE}.en^{NAME_BOOST}",
                    f"{SUMMARY}^{SUMMARY_BOOST}",
                    f"{SUMMARY}.en^{SUMMARY_BOOST}",
                ],
            }
        },
    ]
    if query.has_diacritics:
        # Words typed with their diacritics rank records spelled the same way first:
        # "trâu" (buffalo) above "trầu" (betel).
        exact = _words(w for clause in query.clauses for w in clause.exact)
        should.append(
            {
                "constant_score": {
                    # _all_text holds every indexed field: keywords, native name, body.
                    "filter": {
                        "match": {f"{ALL_TEXT}.exact": {"query": exact, "operator": query.operator}}
                    },
                    "boost": EXACT_FORM_TIER,
                }
            }
        )
        should.append(
            {
                "multi_match": {
                    "query": exact,
                    "type": "best_fields",
                    "operator": query.operator,
                    "fields": [
                        f"{TITLE}.exact^{NAME_BOOST}",
                        f"{NATIVE_NAME}.exact^{NAME_BOOST}",
                        f"{SUMMARY}.exact^{SUMMARY_BOOST}",
                        f"{ALL_TEXT}.exact",
                    ],
                    "boost": EXACT_FORM_BOOST,
                }
            }
        )
    if len(query.folded_words) > 1 and not query.prefix:
        should.append(
            {
                "constant_score": {
                    "filter": {"match_phrase": {ALL_TEXT: folded}},
                    "boost": PHRASE_TIER,
                }
            }
        )
        # Among phrase matches, titles first.
        should.append(
            {
                "multi_match": {
                    "query": folded,
                    "type": "phrase",
                    "fields": [
                        f"{TITLE}^{NAME_BOOST}",
                        f"{NATIVE_NAME}^{NAME_BOOST}",
                        f"{SUMMARY}^{SUMMARY_BOOST}",
                        ALL_TEXT,
                    ],
                    "boost": PHRASE_BOOST,
                }
            }
        )
    should.append(own_group_name_tier(query))
    for path, names, boost in (
        (ETHNIC_GROUPS, ("name_vi", "name_en", "other_names"), GROUP_NAME_BOOST),
        (PROVINCE, ("name_vi", "name_en"), 1),
        (PROVINCE_AS_RECORDED, ("name_vi", "name_en"), 1),
    ):
        should.append(
            {
                "nested": {
                    "path": path,
                    "score_mode": "max",
                    "query": {
                        "multi_match": {
                            "query": folded,
                            "fields": [f"{path}.{name}" for name in names],
                            "operator": "or",
                            "boost": boost,
                        }
                    },
                }
            }
        )
    return should


def own_group_name_tier(query):
    """Records of a group whose own name (not one of its other names) the query holds.

    Other names are shared: "Tày Đăm" is a name of the Thái, so "Tày" must rank
    the Tày's records above Thái ones. Typed with diacritics, the names compare
    exact forms, so "Tây Nguyên" does not name the Tày.
    """
    if query.has_diacritics:
        words = _words(w for clause in query.clauses for w in clause.exact)
        fields = [f"{ETHNIC_GROUPS}.name_vi.exact", f"{ETHNIC_GROUPS}.name_en.exact"]
    else:
        words = _words(query.folded_words)
        fields = [f"{ETHNIC_GROUPS}.name_vi", f"{ETHNIC_GROUPS}.name_en"]
    return {
        "constant_score": {
            "filter": {
                "nested": {
                    "path": ETHNIC_GROUPS,
                    "query": {"multi_match": {"query": words, "fields": fields, "operator": "or"}},
                }
            },
            "boost": OWN_GROUP_NAME_TIER,
        }
    }


def build_record_query(query, params, audience):
    """The ``query`` clause: records matching ``query`` (a ``ParsedQuery``), visible, in the facets.

    ``params`` is a ``SearchParams`` (facet selections as lists).
    """
    filters = base_filters(audience) + facet_filters(params)
    if query.is_empty:
        return {"bool": {"must": [{"match_all": {}}], "filter": filters}}
    matches = match_clauses(query)
    should = ranking_clauses(query)
    if query.operator == "or":
        # Any word matches; the ranking clauses are optional as always.
        return {
            "bool": {
                "must": [{"bool": {"should": matches, "minimum_should_match": 1}}],
                "should": should,
                "filter": filters,
            }
        }
    return {"bool": {"must": matches, "should": should, "filter": filters}}


def build_facet_aggs():
    """Aggregations: the record count of every facet value over the whole result set."""
    aggs = {
        "records": {
            "cardinality": {"field": RECORD_ID, "precision_threshold": CARDINALITY_PRECISION}
        }
    }
    for name, (column, size) in FACETS.items():
        agg = {"terms": {"field": column, "size": size}}
        if name not in PAGE_COUNTED_FACETS:
            agg["aggs"] = {
                "records": {
                    "cardinality": {
                        "field": RECORD_ID,
                        "precision_threshold": CARDINALITY_PRECISION,
                    }
                }
            }
        aggs[name] = agg
    return aggs


def build_search_body(query, params, audience):
    """The whole ``_search`` body: query, one hit per record, page, sort, facets."""
    sort = params.sort if params.sort in SORTS else "relevance"
    if query.is_empty and sort == "relevance":
        sort = "title"
    return {
        "query": build_record_query(query, params, audience),
        "collapse": {"field": RECORD_ID},
        "sort": SORTS[sort],
        "from": max(0, params.offset),
        "size": max(0, params.page_size),
        "aggs": build_facet_aggs(),
        "_source": False,
        "fields": [RECORD_ID],
        "track_total_hits": True,
    }


def build_suggest_body(query, audience, limit=8):
    """A ``_search`` body for search-as-you-type on titles and native names."""
    return {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": _words(query.folded_words),
                            "fields": [
                                f"{TITLE_AUTOCOMPLETE}^{NAME_BOOST}",
                                NATIVE_NAME_AUTOCOMPLETE,
                            ],
                            "operator": "and",
                        }
                    }
                ],
                "filter": base_filters(audience),
            }
        },
        "collapse": {"field": RECORD_ID},
        "sort": SORTS["relevance"],
        "size": max(0, int(limit)),
        "_source": False,
        "fields": [RECORD_ID],
    }


def _hosts(backend):
    """The servers' addresses for log lines (never the credentials)."""
    return ", ".join(
        f"{host.get('scheme', 'http')}://{host.get('host')}:{host.get('port')}"
        for host in getattr(backend, "hosts", None) or []
        if isinstance(host, dict)
    )


def _record_ids(response):
    return [hit["fields"][RECORD_ID][0] for hit in response["hits"]["hits"]]


def _facet_counts(response):
    aggregations = response.get("aggregations") or {}
    facets = {}
    for name in FACETS:
        buckets = (aggregations.get(name) or {}).get("buckets", [])
        counts = {}
        for bucket in buckets:
            count = bucket["doc_count"]
            if "records" in bucket:
                count = bucket["records"]["value"]
            if count:
                counts[bucket["key"]] = count
        facets[name] = counts
    return facets


class ElasticsearchSearch(RecordSearchBackend):
    """Record search on the Wagtail Elasticsearch index (search.backends.elasticsearch)."""

    def __init__(self, backend=None):
        self.backend = backend or get_search_backend()

    @property
    def index_name(self):
        from heritage.models import RecordPage

        return self.backend.get_index_for_model(RecordPage).name

    def send(self, body):
        """Run one search; a server that does not answer raises :class:`SearchUnavailable`."""
        client = self.backend.es.options(
            request_timeout=getattr(self.backend, "search_timeout", 5), max_retries=0
        )
        try:
            return client.search(index=self.index_name, **body)
        except (ESConnectionError, ConnectionTimeout, TransportError) as exc:
            logger.error(
                "Search unavailable: Elasticsearch at %s did not answer (%s: %s)",
                _hosts(self.backend),
                type(exc).__name__,
                exc,
            )
            raise SearchUnavailable(str(exc)) from exc
        except ApiError as exc:
            if exc.meta.status < 500:
                raise
            logger.error(
                "Search unavailable: Elasticsearch at %s answered HTTP %s",
                _hosts(self.backend),
                exc.meta.status,
            )
            raise SearchUnavailable(f"HTTP {exc.meta.status}") from exc

    def search(self, query, params, user):
        body = build_search_body(query, params, Audience.of(user))
        response = self.send(body)
        aggregations = response.get("aggregations") or {}
        count = (aggregations.get("records") or {}).get("value")
        if count is None:
            count = response["hits"]["total"]["value"]
        return RawResult(
            record_ids=_record_ids(response), count=int(count), facets=_facet_counts(response)
        )

    def suggest(self, query, user, limit=8):
        if query.is_empty:
            return []
        body = build_suggest_body(query, Audience.of(user), limit)
        return _record_ids(self.send(body))
