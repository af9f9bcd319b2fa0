"""The archive's Elasticsearch backend. Targets Elasticsearch 8 (client ``elasticsearch>=8.13,<9``).

A subclass of modelsearch's Elasticsearch 8 backend that changes how text is
analysed, not how Wagtail talks to the server, so the admin's page search,
``update_index`` and the signal-driven index updates keep working unchanged:

- every searchable text field is indexed three ways: ``vi_folding`` (the field
  itself: lower-case, đ -> d, apostrophes dropped, ASCII folding with the
  original token kept at the same position so exact forms score higher),
  ``.exact`` (diacritics kept) and ``.en`` (English stemming);
- autocomplete fields fold on both sides: edge n-grams at index time and a
  folding analyser at query time (modelsearch's default search analyser is
  the plain ``standard`` one, which cannot match "cồng chi" against the folded
  n-grams; wagtail/wagtail#13005);
- texts are brought to one form in Python before they are sent
  (``search.text.exact``: NFC, one tone placement, inner apostrophes dropped),
  since Elasticsearch has no Vietnamese normaliser without the ICU plugin,
  which we do not assume is installed;
- record documents carry flat access and facet fields (``record_*``), so the
  access rule is a filter inside the query and facets are aggregations;
- bulk indexing sends ``BULK_CHUNK_SIZE`` documents per request;
- rebuilding is atomic: ``update_index`` builds a new index and swaps the alias
  (``ATOMIC_REBUILD``, on by default).

Settings (``WAGTAILSEARCH_BACKENDS["default"]``), besides modelsearch's own:
``BULK_CHUNK_SIZE`` (default 200) and ``SEARCH_TIMEOUT`` (seconds a visitor's
search may wait, default 5).
"""

from copy import deepcopy

from elasticsearch.helpers import bulk
from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
)
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.utils import deep_update

from search.text import APOSTROPHES, exact

DEFAULT_BULK_CHUNK_SIZE = 200
# A bulk request stays well under Elasticsearch's 100 MB http.max_content_length
# even when a chunk holds records with long transcribed bodies.
BULK_MAX_CHUNK_BYTES = 10 * 1024 * 1024
BULK_TIMEOUT = 120
DEFAULT_SEARCH_TIMEOUT = 5

# Flat fields added to every record document (see HeritageMapping.record_fields).
RECORD_ID = "record_id"
RECORD_SORT_TITLE = "record_sort_title"
RECORD_ACCESS = "record_access"
RECORD_ALLOWED_GROUPS = "record_allowed_group_ids"
RECORD_ETHNIC_GROUPS = "record_ethnic_group_ids"
RECORD_PROVINCE = "record_province_id"
RECORD_KIND = "record_kind"
RECORD_LUNAR_MONTH = "record_lunar_month"
RECORD_MEDIA_TYPES = "record_media_types"
RECORD_LANGUAGE = "record_language"

VI_FOLDING = "vi_folding"
VI_EXACT = "vi_exact"
EN_STEM = "en_stem"
AUTOCOMPLETE_INDEX = "autocomplete_index"
AUTOCOMPLETE_SEARCH = "autocomplete_search"

_APOSTROPHE_RULES = [f"{ch} => " for ch in APOSTROPHES]

ANALYSIS = {
    "char_filter": {
        # Elasticsearch's mapping syntax needs a character on the left and
        # allows an empty right side: "K'Ho", "K’Ho" and "KHo" index alike.
        "vi_apostrophes": {"type": "mapping", "mappings": _APOSTROPHE_RULES},
        # asciifolding folds đ too; this makes it explicit and independent of
        # the Lucene version. Exactness between đ and d lives in ".exact".
        "vi_d_stroke": {"type": "mapping", "mappings": ["đ => d", "Đ => D"]},
    },
    "filter": {
        "vi_asciifolding": {"type": "asciifolding", "preserve_original": True},
        "autocomplete_edge_ngram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
        "english_stop": {"type": "stop", "stopwords": "_english_"},
        "english_stemmer": {"type": "stemmer", "language": "english"},
        "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
    },
    "analyzer": {
        VI_FOLDING: {
            "type": "custom",
            "char_filter": ["vi_apostrophes", "vi_d_stroke"],
            "tokenizer": "standard",
            "filter": ["lowercase", "vi_asciifolding"],
        },
        VI_EXACT: {
            "type": "custom",
            "char_filter": ["vi_apostrophes"],
            "tokenizer": "standard",
            "filter": ["lowercase"],
        },
        EN_STEM: {
            "type": "custom",
            "char_filter": ["vi_apostrophes"],
            "tokenizer": "standard",
            "filter": [
                "english_possessive_stemmer",
                "lowercase",
                "asciifolding",
                "english_stop",
                "english_stemmer",
            ],
        },
        AUTOCOMPLETE_INDEX: {
            "type": "custom",
            "char_filter": ["vi_apostrophes", "vi_d_stroke"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "autocomplete_edge_ngram"],
        },
        AUTOCOMPLETE_SEARCH: {
            "type": "custom",
            "char_filter": ["vi_apostrophes", "vi_d_stroke"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
        },
    },
}
# Text fields without an explicit analyser (modelsearch's _all_text copies,
# fields added later) fold too.
ANALYSIS["analyzer"]["default"] = ANALYSIS["analyzer"][VI_FOLDING]

TEXT_SUBFIELDS = {
    "exact": {"type": "text", "analyzer": VI_EXACT},
    "en": {"type": "text", "analyzer": EN_STEM},
}


def text_mapping():
    """The mapping of a searchable text field: folded, with exact and English sub-fields."""
    return {"type": "text", "analyzer": VI_FOLDING, "fields": {**TEXT_SUBFIELDS}}


def _normalise(value):
    if isinstance(value, str):
        return exact(value)
    if isinstance(value, (list, tuple)):
        return [_normalise(item) for item in value]
    return value


def _is_record_model(model):
    from heritage.models import RecordPage

    return issubclass(model, RecordPage)


class HeritageMapping(Elasticsearch8Mapping):
    """Vietnamese/English analysers on every text field; access and facet fields on records."""

    edgengram_analyzer_config = {
        "analyzer": AUTOCOMPLETE_INDEX,
        "search_analyzer": AUTOCOMPLETE_SEARCH,
    }

    record_fields = {
        RECORD_ID: {"type": "keyword"},
        RECORD_SORT_TITLE: {"type": "keyword"},
        RECORD_ACCESS: {"type": "keyword"},
        RECORD_ALLOWED_GROUPS: {"type": "long"},
        RECORD_ETHNIC_GROUPS: {"type": "long"},
        RECORD_PROVINCE: {"type": "long"},
        RECORD_KIND: {"type": "keyword"},
        RECORD_LUNAR_MONTH: {"type": "integer"},
        RECORD_MEDIA_TYPES: {"type": "keyword"},
        RECORD_LANGUAGE: {"type": "keyword"},
    }

    def get_field_mapping(self, field):
        name, mapping = super().get_field_mapping(field)
        if (
            isinstance(field, SearchField)
            and mapping.get("type") == "text"
            and "analyzer" not in mapping
        ):
            mapping.update(text_mapping())
        return name, mapping

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        for name, field in properties.items():
            if name == "_all_text" or name.startswith("_all_text_boost_"):
                field.update(text_mapping())
        if _is_record_model(self.model):
            properties.update(self.record_fields)
        return mapping

    def _get_document_field_data(self, field, obj):
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        if isinstance(field, (SearchField, AutocompleteField)):
            value = _normalise(value)
            edgengrams = _normalise(edgengrams)
        return name, value, edgengrams

    def get_document(self, obj):
        doc = super().get_document(obj)
        if _is_record_model(self.model):
            doc.update(self.get_record_data(obj))
        return doc

    def get_record_data(self, record):
        """The access, facet and sort values of one record, as flat fields."""
        from search.documents import media_flags
        from search.models import MediaFlag
        from search.text import fold

        # The same media rule as the database index: a public record's facet
        # never reveals media a visitor may not see.
        flags = media_flags(record)
        return {
            RECORD_ID: record.record_id,
            RECORD_SORT_TITLE: fold(record.title)[:255],
            RECORD_ACCESS: record.access,
            RECORD_ALLOWED_GROUPS: sorted(g.pk for g in record.allowed_groups.all()),
            RECORD_ETHNIC_GROUPS: sorted(g.pk for g in record.ethnic_groups.all()),
            RECORD_PROVINCE: record.province_id,
            RECORD_KIND: record.kind,
            RECORD_LUNAR_MONTH: record.lunar_month,
            RECORD_MEDIA_TYPES: sorted(t for t, flag in MediaFlag.BY_TYPE.items() if flags & flag),
            RECORD_LANGUAGE: record.locale.language_code if record.locale_id else None,
        }


class HeritageIndex(Elasticsearch8Index):
    pass


class HeritageAtomicRebuilder(ElasticsearchAtomicIndexRebuilder):
    """Build a new index beside the live one, then point the alias at it in one step.

    modelsearch adds the alias to the new index and then deletes the old one,
    so for a moment the alias names both (searches see every record twice and
    writes through the alias fail). One ``_aliases`` call with remove + add is
    atomic on the server.
    """

    def finish(self):
        self.index.refresh()
        if not self.alias.is_alias():
            # First atomic rebuild: an index may still hold the alias's name.
            self.alias.delete()
            self.index.put_alias(self.alias.name)
            return
        old_indices = [i for i in self.alias.aliased_indices() if i.name != self.index.name]
        actions = [{"remove": {"index": i.name, "alias": self.alias.name}} for i in old_indices]
        actions.append({"add": {"index": self.index.name, "alias": self.alias.name}})
        self.index.es.indices.update_aliases(actions=actions)
        for old in old_indices:
            old.delete()


class HeritageSearchBackend(Elasticsearch8SearchBackend):
    """modelsearch's Elasticsearch 8 backend with the archive's analysers and record fields."""

    mapping_class = HeritageMapping
    index_class = HeritageIndex
    atomic_rebuilder_class = HeritageAtomicRebuilder
    # deep_update works in place: start from a copy of modelsearch's settings.
    settings = deep_update(
        deepcopy(Elasticsearch8SearchBackend.settings),
        {"settings": {"analysis": deepcopy(ANALYSIS)}},
    )

    def __init__(self, params):
        params = dict(params)
        self.bulk_chunk_size = int(params.pop("BULK_CHUNK_SIZE", DEFAULT_BULK_CHUNK_SIZE))
        self.search_timeout = float(params.pop("SEARCH_TIMEOUT", DEFAULT_SEARCH_TIMEOUT))
        options = dict(params.pop("OPTIONS", {}))
        # One retry at most: when the server is down, a visitor's search and
        # an editor's publish must fail fast, not wait out a retry storm.
        options.setdefault("max_retries", 1)
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        super().__init__(params)

    def bulk(self, client, actions, **kwargs):
        kwargs.setdefault("chunk_size", self.bulk_chunk_size)
        kwargs.setdefault("max_chunk_bytes", BULK_MAX_CHUNK_BYTES)
        return bulk(client.options(request_timeout=BULK_TIMEOUT), actions, **kwargs)


SearchBackend = HeritageSearchBackend
