"""The one record-search function every surface calls, and its backend interface.

    result = search_records(params, user)   # -> SearchResult(count, hits, facets, ...)

``params`` is a :class:`SearchParams` (built by ``search.forms``); ``user`` is
the visitor: every backend starts from ``RecordPage.objects.visible_to(user)``
(or mirrors it inside its own query) so restricted records never show in
results, counts, facets, suggestions or snippets.

Backends implement :class:`RecordSearchBackend`:

- ``search(query, params, user) -> RawResult`` with record ids of one page in
  rank order, the total, and facet counts ``{facet: {value: count}}``;
- ``suggest(query, user, limit) -> [record_id, ...]`` for autocomplete.

``DatabaseSearch`` (search.database) serves SQLite and PostgreSQL;
``ElasticsearchSearch`` (search.elasticsearch_query) is chosen when
``WAGTAILSEARCH_BACKENDS["default"]`` is an Elasticsearch backend.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from heritage.models import RecordPage
from search.text import exact, exact_tokens, fold, has_diacritics, tokens

MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
MAX_TERM_CHARS = 64
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
FACETS = ["ethnic_group", "province", "kind", "lunar_month", "media_type", "language"]
SORTS = ["relevance", "title", "lunar_month"]

_PHRASE = re.compile(r'"([^"]*)"')


class SearchUnavailable(Exception):
    """The search server did not answer (down, unreachable, timed out or failing)."""


@dataclass(frozen=True)
class Clause:
    """One unit a record must match: a word, or a phrase typed in double quotes."""

    folded: tuple
    exact: tuple
    phrase: bool = False


@dataclass
class ParsedQuery:
    clauses: list
    text: str = ""
    prefix: bool = False  # autocomplete: the last word may be incomplete
    operator: str = "and"

    @property
    def is_empty(self):
        return not self.clauses

    @cached_property
    def has_diacritics(self):
        return has_diacritics(self.text)

    @property
    def folded_words(self):
        return [word for clause in self.clauses for word in clause.folded]


def parse_query(text, *, prefix=False, operator="and"):
    """Turn whatever a visitor typed into clauses; never fails.

    Balanced double quotes make a phrase; everything else (unbalanced quotes,
    backslashes, ``*``, ``field:value``, NUL bytes, emoji) is only word
    boundaries. At most :data:`MAX_TERMS` words are kept.
    """
    text = (text or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    clauses = []
    budget = MAX_TERMS

    def add(chunk, phrase):
        nonlocal budget
        folded = [w[:MAX_TERM_CHARS] for w in tokens(chunk)]
        exact = [w[:MAX_TERM_CHARS] for w in exact_tokens(chunk)]
        if len(exact) != len(folded):
            exact = folded
        folded, exact = folded[:budget], exact[:budget]
        budget -= len(folded)
        if not folded:
            return
        if phrase and len(folded) > 1:
            clauses.append(Clause(tuple(folded), tuple(exact), phrase=True))
        else:
            clauses.extend(Clause((f,), (e,)) for f, e in zip(folded, exact, strict=True))

    position = 0
    for match in _PHRASE.finditer(text):
        add(text[position : match.start()], False)
        add(match.group(1), True)
        position = match.end()
    add(text[position:], False)
    kept = " ".join(" ".join(c.exact) for c in clauses)
    return ParsedQuery(clauses=clauses, text=kept, prefix=prefix, operator=operator)


@dataclass
class SearchParams:
    """What a visitor asked for; facet filters are lists (empty: no filter)."""

    q: str = ""
    lang: str = ""
    ethnic_group: list = field(default_factory=list)
    province: list = field(default_factory=list)
    kind: list = field(default_factory=list)
    lunar_month: list = field(default_factory=list)
    media_type: list = field(default_factory=list)
    language: list = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    operator: str = "and"
    fuzzy: bool = True

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def facet_filters(self):
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    def get(self, name, default=None):
        # The Elasticsearch query builder reads params like a dict.
        return getattr(self, name, default)


@dataclass
class RawResult:
    """What a backend returns: one page of record ids in rank order, total, facet counts."""

    record_ids: list
    count: int
    facets: dict


@dataclass
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    record_id: str
    page: RecordPage
    snippet: str
    language: str
    # Start (seconds, as text) of the first caption cue holding the query's words.
    moment: str = ""

    @property
    def moment_clock(self):
        seconds = int(float(self.moment or 0))
        return f"{seconds // 60}:{seconds % 60:02d}"

    @property
    def title(self):
        return self.page.title


@dataclass
class SearchResult:
    count: int
    hits: list
    facets: dict
    params: SearchParams
    query: ParsedQuery
    # Set when the words as typed found nothing and a looser search ran instead.
    relaxed: str = ""
    corrected_query: str = ""
    suggestions: list = field(default_factory=list)

    @property
    def num_pages(self):
        return max(1, -(-self.count // self.params.page_size))


class RecordSearchBackend:
    """Interface of a record-search backend (see the module docstring)."""

    def search(self, query, params, user):
        raise NotImplementedError

    def suggest(self, query, user, limit=8):
        raise NotImplementedError

    def correct(self, query):
        """A respelling of the query's words the index knows, or ``None``."""
        return None


def get_backend():
    """The record-search backend the settings choose."""
    path = getattr(settings, "SEARCH_RECORD_BACKEND", None)
    if path is None:
        engine = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("BACKEND", "")
        if "elasticsearch" in engine or "opensearch" in engine:
            path = "search.elasticsearch_query.ElasticsearchSearch"
        else:
            path = "search.database.DatabaseSearch"
    return import_string(path)()


def search_records(params, user, backend=None):
    """Search records as ``user`` may see them: the one query function.

    When the words as typed find nothing, it tries, in order: the last word as
    a prefix, any of the words, and a respelling the index knows ("buffallo"
    -> "buffalo"); the result says which one it used.
    """
    backend = backend or get_backend()
    query = parse_query(params.q, operator=params.operator)
    raw = backend.search(query, params, user)
    result_query, relaxed, corrected = query, "", ""
    if raw.count == 0 and not query.is_empty:
        attempts = [("prefix", parse_query(params.q, prefix=True, operator=params.operator))]
        if len(query.clauses) > 1 and params.operator == "and":
            attempts.append(("any", parse_query(params.q, operator="or")))
        if params.fuzzy:
            respelled = backend.correct(query)
            if respelled:
                attempts.append(("corrected", parse_query(respelled, operator=params.operator)))
        for reason, attempt in attempts:
            raw = backend.search(attempt, params, user)
            if raw.count:
                result_query, relaxed = attempt, reason
                corrected = attempt.text if reason == "corrected" else ""
                break
    hits = hydrate(raw.record_ids, result_query, params, user)
    return SearchResult(
        count=raw.count,
        hits=hits,
        facets=label_facets(raw.facets, params),
        params=params,
        query=result_query,
        relaxed=relaxed,
        corrected_query=corrected,
    )


def suggest_records(text, user, *, lang="", limit=8, backend=None):
    """Autocomplete: records whose title or native name starts with what was typed.

    Returns a list of :class:`Hit` (no snippet), in the visitor's language.
    """
    query = parse_query(text, prefix=True)
    if query.is_empty:
        return []
    backend = backend or get_backend()
    record_ids = backend.suggest(query, user, limit=limit)
    return hydrate(record_ids, None, SearchParams(lang=lang), user)


def visitor_language(params):
    return (params.lang or get_language() or settings.LANGUAGE_CODE)[:2]


def hydrate(record_ids, query, params, user):
    """The visible page of each record id, in the visitor's language when translated."""
    if not record_ids:
        return []
    language = visitor_language(params)
    pages = (
        RecordPage.objects.visible_to(user)
        .filter(record_id__in=record_ids)
        .with_custom_type()
        .select_related("locale", "province", "province_as_recorded")
        .prefetch_related("ethnic_groups")
    )
    chosen = {}
    for page in pages:
        current = chosen.get(page.record_id)
        if current is None or (
            page.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[page.record_id] = page
    texts, moments = {}, {}
    if query is not None:
        from search.models import RecordSearchDocument

        for page_id, text, page_moments in RecordSearchDocument.objects.filter(
            page_id__in=[p.pk for p in chosen.values()]
        ).values_list("page_id", "snippet_text", "moments"):
            texts[page_id] = text
            moments[page_id] = first_moment(page_moments, query)
    hits = []
    for record_id in record_ids:
        page = chosen.get(record_id)
        if page is None:
            continue  # became hidden since the index query: never shown
        text = texts.get(page.pk) or page.summary or ""
        hits.append(
            Hit(
                record_id=record_id,
                page=page,
                snippet=make_snippet(text, query) if query is not None else "",
                language=page.locale.language_code,
                moment=moments.get(page.pk, ""),
            )
        )
    return hits


def first_moment(moments, query):
    """The start ("12.5") of the first cue holding every folded word of the query, or ""."""
    words = set(query.folded_words)
    if not words:
        return ""
    for start, folded in moments or ():
        if words <= set(folded.split()):
            return f"{start:g}"
    return ""


@lru_cache(maxsize=50_000)
def _folded_word(word):
    return fold(word).replace("'", "")


_exact_word = lru_cache(maxsize=50_000)(exact)


def make_snippet(text, query, width=220):
    """An HTML-safe excerpt of ``text`` around the first query word, words marked.

    A query typed with diacritics marks only the words spelled as typed ("Ê Đê"
    marks the people's name, not "để"); one typed without marks every word that
    folds to it.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    words, spelled = set(), None
    if query is not None:
        words = set(query.folded_words)
        if query.has_diacritics:
            spelled = {w for clause in query.clauses for w in clause.exact}
    prefix = query is not None and query.prefix
    spans = []
    for match in re.finditer(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)?", text):
        word = _folded_word(match.group(0))
        if not (word in words or (prefix and any(word.startswith(w) for w in words))):
            continue
        if spelled is not None:
            form = _exact_word(match.group(0))
            if not (form in spelled or (prefix and any(form.startswith(w) for w in spelled))):
                continue
        spans.append((match.start(), match.end()))
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 3)
        # Start on a word boundary.
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    out = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        out.append(escape(text[position:span_start]))
        out.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def label_facets(counts, params):
    """``{facet: {value: count}}`` -> ``{facet: [FacetValue, ...]}`` with display labels."""
    from django.utils.translation import gettext as _

    from heritage.media import RECORD_MEDIA_TYPES
    from heritage.models import EthnicGroup, Province
    from heritage.models.records import CustomPage, FestivalPage
    from heritage.text import in_dictionary_order

    labels = {
        "ethnic_group": lambda ids: {
            g.pk: g.display_name for g in EthnicGroup.objects.filter(pk__in=ids)
        },
        "province": lambda ids: {p.pk: p.display_name for p in Province.objects.filter(pk__in=ids)},
        "kind": lambda values: {
            "festival": str(FestivalPage._meta.verbose_name),
            "custom": str(CustomPage._meta.verbose_name),
        },
        "lunar_month": lambda values: {
            m: _("Lunar month %(month)s") % {"month": m} for m in values
        },
        "media_type": lambda values: {v: str(label) for v, label in RECORD_MEDIA_TYPES},
        "language": lambda values: {code: name for code, name in settings.LANGUAGES},
    }
    facets = {}
    for name in FACETS:
        values = {v: c for v, c in (counts.get(name) or {}).items() if v not in (None, "") and c}
        names = labels[name](list(values))
        selected = {str(v) for v in getattr(params, name, [])}
        items = [
            FacetValue(value=v, label=str(names.get(v, v)), count=c, selected=str(v) in selected)
            for v, c in values.items()
        ]
        if name == "lunar_month":
            items.sort(key=lambda item: item.value)
        elif name in {"ethnic_group", "province"}:
            items = in_dictionary_order(items, name=lambda item: item.label)
        else:
            items.sort(key=lambda item: (-item.count, fold(item.label)))
        facets[name] = items
    return facets
