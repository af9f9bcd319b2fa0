"""Record search on the database: SQLite FTS5 or PostgreSQL full text.

Two statements per search, both inside the full-text index query:

* the page: the index ranks the matching documents (FTS5 ``ORDER BY rank``
  with bm25 weights, or ``ts_rank`` on the GIN-indexed tsvector), filtered by
  the documents' copy of the access rule and the facet filters, limited to
  the first records; documents collapse to one per record in Python and the
  page is checked against ``RecordPage.objects.visible_to(user)``, the one
  access rule, before anything is shown;
* the totals: the same match, unranked, in one pass without sort or
  grouping, gives the count of records and every facet count.

On SQLite both read a narrow covering index (``search.fts.FACET_INDEX``)
instead of the multi-kilobyte document rows. The access copy (``public``)
changes in the transaction that publishes or unpublishes a record, so counts
and facets are exact for access; the other copies (``record_number``,
``translated``, ``ethnic_group_ids``) are refreshed by the indexing task.
"""

# SQL text here is built from constants and identifiers only; every visitor's value
# travels as a query parameter.
# ruff: noqa: S608

import difflib
from collections import Counter
from functools import lru_cache

from django.conf import settings
from django.db import connection

from heritage.access import Audience
from heritage.models import EthnicGroup, RecordPage
from search.documents import english_stems
from search.fts import FACET_INDEX, FTS_TABLE
from search.models import MediaFlag, SearchTerm
from search.query import RawResult, RecordSearchBackend
from search.text import exact_tokens, tokens

DOCUMENTS = "search_recordsearchdocument"

# bm25 column weights, in search.fts.FTS_COLUMNS order: exact forms above folded
# ones, titles above names above bodies.
BM25_WEIGHTS = (10.0, 5.0, 4.0, 2.0, 2.0, 1.0, 5.0, 1.0)
# How many times the exact-phrase branch counts in bm25 (FTS5 weighs phrases
# only by column, so repeating the branch is how a phrase gains weight; each
# repeat costs a pass over the phrase's positions).
PHRASE_REPEAT = 1

# PostgreSQL: weight of the exact-form and phrase ranks added to the folded rank.
PG_EXACT_BOOST = 2.0
PG_PHRASE_BOOST = 3.0

# Records re-ranked with the exact-form, phrase and own-group tiers (stage two).
RERANK_WINDOW = 200

SORT_ORDERS = {
    "title": "d.sort_title, d.record_id",
    "lunar_month": "CASE WHEN d.lunar_month IS NULL THEN 1 ELSE 0 END, d.lunar_month, "
    "d.sort_title, d.record_id",
}


def _ethnic_group_table():
    through = RecordPage.ethnic_groups.through
    return through._meta.db_table


def _facet_conditions(params):
    """SQL conditions (on alias ``d``) and their parameters for the chosen facet values."""
    conditions, args = [], []

    def among(column, values):
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        args.extend(values)

    if params.province:
        among("d.province_id", params.province)
    if params.kind:
        among("d.kind", params.kind)
    if params.lunar_month:
        among("d.lunar_month", params.lunar_month)
    if params.language:
        among("d.locale", params.language)
    if params.media_type:
        mask = 0
        for media_type in params.media_type:
            mask |= MediaFlag.BY_TYPE.get(media_type, 0)
        conditions.append("(d.media_types & %s) <> 0")
        args.append(mask)
    if params.ethnic_group:
        placeholders = ", ".join(["%s"] * len(params.ethnic_group))
        # Uncorrelated: the group's pages are listed once, then each match is a probe.
        conditions.append(
            f"d.page_id IN (SELECT eg.recordpage_id FROM {_ethnic_group_table()} eg "
            f"WHERE eg.ethnicgroup_id IN ({placeholders}))"
        )
        args.extend(params.ethnic_group)
    return conditions, args


# --- SQLite FTS5 expressions ----------------------------------------------------
FOLDED = "{title_folded names_folded body_folded}"
EXACT = "{title_exact names_exact body_exact}"
ENGLISH = "{title_english body_english}"
TITLE_FOLDED = "{title_folded}"
TITLE_EXACT = "{title_exact}"


def _fts_phrase(words, prefix=False):
    # Words are letters and digits only (search.text), so quoting is safe.
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def fts5_expression(query, *, titles_only=False, boosts=True):
    """The FTS5 MATCH expression for a parsed query.

    Without ``boosts`` only the branch that decides what matches; with them,
    extra branches that only add to bm25 (exact forms, the whole phrase).
    """
    folded_cols = TITLE_FOLDED if titles_only else FOLDED
    exact_cols = TITLE_EXACT if titles_only else EXACT
    last = len(query.clauses) - 1
    clauses, exact_parts = [], []
    for i, clause in enumerate(query.clauses):
        prefix = query.prefix and i == last
        parts = [f"{folded_cols} : {_fts_phrase(clause.folded, prefix)}"]
        stems = english_stems(list(clause.folded))
        # English documents carry their words folded too: the stem branch only
        # matters when stemming changes a word ("gongs" -> "gong").
        if not titles_only and not prefix and stems != list(clause.folded):
            parts.append(f"{ENGLISH} : {_fts_phrase(stems)}")
        clauses.append("(" + " OR ".join(parts) + ")")
        exact_parts.append(_fts_phrase(clause.exact, prefix))
    joiner = " OR " if query.operator == "or" else " AND "
    branches = ["(" + joiner.join(clauses) + ")"]
    if not boosts:
        return branches[0]
    # Extra branches never widen the match (each implies the main one) but add
    # to bm25: words typed with diacritics, and all the words as one phrase.
    if query.has_diacritics:
        branches.append(f"({exact_cols} : (" + joiner.join(exact_parts) + "))")
    words = query.folded_words
    if len(words) > 1 and not query.prefix:
        phrase = f"({folded_cols} : {_fts_phrase(words)})"
        branches.extend([phrase] * PHRASE_REPEAT)
        if query.has_diacritics:
            exact_words = [w for clause in query.clauses for w in clause.exact]
            branches.append(f"({exact_cols} : {_fts_phrase(exact_words)})")
    return " OR ".join(branches)


# --- PostgreSQL tsquery expressions -------------------------------------------------
def _ts_phrase(words, prefix=False):
    lexemes = [f"'{word}'" for word in words]
    if prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def tsquery_expressions(query):
    """(match, exact, phrase) tsquery texts for to_tsquery('simple', ...); None if unused."""
    last = len(query.clauses) - 1
    clauses, exact_parts = [], []
    for i, clause in enumerate(query.clauses):
        prefix = query.prefix and i == last
        stems = clause.folded if prefix else english_stems(list(clause.folded))
        options = {_ts_phrase(clause.folded, prefix), _ts_phrase(stems, prefix)}
        clauses.append("(" + " | ".join(sorted(options)) + ")")
        exact_parts.append(_ts_phrase(clause.exact, prefix))
    joiner = " | " if query.operator == "or" else " & "
    match = joiner.join(clauses)
    exact = joiner.join(exact_parts) if query.has_diacritics else None
    words = query.folded_words
    phrase = _ts_phrase(words) if len(words) > 1 and not query.prefix else None
    return match, exact, phrase


def _access_condition(audience):
    """The access rule for an :class:`~heritage.access.Audience`, as a condition on
    the documents' own columns (alias ``d``).

    Officers see every document; others see public ones and, for members of
    allowed groups, those records (the group table is the rule's own, not a
    copy). ``public`` changes in the transaction that changes the record's
    access or takes it offline (``search.signal_handlers``), so counts and
    facets are exact; each page of hits is checked against ``visible_to`` too.
    """
    if audience.is_officer:
        return "1 = 1", []
    if not audience.group_ids:
        return "d.public", []
    through = RecordPage.allowed_groups.through._meta.db_table
    groups = sorted(audience.group_ids)
    placeholders = ", ".join(["%s"] * len(groups))
    return (
        f"(d.public OR d.page_id IN (SELECT recordpage_id FROM {through} "
        f"WHERE group_id IN ({placeholders})))",
        groups,
    )


class Matches:
    """The text part of a search as SQL pieces: what matches, and its score (lower first)."""

    def __init__(self, from_clause, condition, args, score="0.0", score_args=(), rank=None):
        self.from_clause = from_clause
        self.condition = condition
        self.args = list(args)
        self.score = score
        self.score_args = list(score_args)
        # SQLite: the bm25 configuration, given to FTS5 as ``rank MATCH``.
        self.rank = rank


class DatabaseSearch(RecordSearchBackend):
    """Record search on the project database (SQLite or PostgreSQL).

    Two statements per search, each as cheap as the index allows:

    * the page: the full-text index ranks the matching documents (FTS5
      ``ORDER BY rank`` or ``ts_rank``), filtered by the access copy and the
      facets, limited to the first records (collapsed per record in Python);
    * the totals: the same match without ranking, materialised once, grouped
      per record on an integer, then counted per facet value.

    The page's documents are then checked against ``visible_to`` as well.
    """

    def __init__(self, using=None):
        self.connection = connection
        self.vendor = connection.vendor

    # -- the matching documents ---------------------------------------------------
    def _matches(self, query, titles_only=False, boosts=True):
        if self.vendor == "sqlite":
            # The narrow covering index, never the multi-kilobyte rows.
            documents = f"{DOCUMENTS} d INDEXED BY {FACET_INDEX}"
            if query.is_empty:
                return Matches(documents, "1 = 1", [])
            weights = ", ".join(str(w) for w in BM25_WEIGHTS)
            return Matches(
                f"{FTS_TABLE} JOIN {documents} ON d.id = {FTS_TABLE}.rowid",
                f"{FTS_TABLE} MATCH %s",
                [fts5_expression(query, titles_only=titles_only, boosts=boosts)],
                score=f"{FTS_TABLE}.rank",
                rank=f"bm25({weights})",
            )
        if self.vendor == "postgresql":
            if query.is_empty:
                return Matches(f"{DOCUMENTS} d", "1 = 1", [])
            match, exact, phrase = tsquery_expressions(query)
            if not boosts:
                exact = phrase = None
            score = ["ts_rank(d.search_vector, to_tsquery('simple', %s))"]
            score_args = [match]
            if titles_only:
                # Titles only: weight A; other weights count for nothing.
                score = ["ts_rank('{0, 0, 0, 1}', d.search_vector, to_tsquery('simple', %s))"]
            if exact:
                score.append(
                    f"{PG_EXACT_BOOST} * ts_rank(d.exact_vector, to_tsquery('simple', %s))"
                )
                score_args.append(exact)
            if phrase:
                score.append(
                    f"{PG_PHRASE_BOOST} * ts_rank(d.search_vector, to_tsquery('simple', %s))"
                )
                score_args.append(phrase)
            condition = "d.search_vector @@ to_tsquery('simple', %s)"
            if titles_only:
                condition = (
                    f"{condition} AND ts_filter(d.search_vector, '{{a}}') "
                    "@@ to_tsquery('simple', %s)"
                )
            # Lower is better everywhere, as with bm25.
            return Matches(
                f"{DOCUMENTS} d",
                condition,
                [match] * (2 if titles_only else 1),
                score="-(" + " + ".join(score) + ")",
                score_args=score_args,
            )
        raise NotImplementedError(f"No record search for database {self.vendor!r}")

    def _where(self, matches, params, audience):
        access, access_args = _access_condition(audience)
        conditions, facet_args = _facet_conditions(params)
        where = " AND ".join([matches.condition, access, *conditions])
        return where, [*matches.args, *access_args, *facet_args]

    def _ranked_documents(self, matches, params, audience, order, limit):
        """Matching documents in rank order: (score, record_id, record_number, id, page_id)."""
        where, args = self._where(matches, params, audience)
        if matches.rank:
            where += f" AND {FTS_TABLE}.rank MATCH %s"
            args.append(matches.rank)
        sql = (
            f"SELECT {matches.score} AS score, d.record_id, d.record_number, d.id, d.page_id "
            f"FROM {matches.from_clause} WHERE {where} ORDER BY {order} LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*matches.score_args, *args, limit])
            return cursor.fetchall()

    def _ranked_records(self, matches, params, audience, wanted):
        """At least ``wanted`` records (if there are so many) in order, one entry per record:
        [record_id, [document ids], [page ids]]."""
        relevance = matches.rank is not None or matches.score != "0.0"
        relevance = relevance and params.sort == "relevance"
        if relevance:
            # FTS5 reads ``ORDER BY rank`` alone from its own sorted results; any
            # further key would sort every match again.
            order = f"{FTS_TABLE}.rank" if matches.rank else "score, d.record_number"
        else:
            sort = params.sort if params.sort in SORT_ORDERS else "title"
            order = SORT_ORDERS[sort]
        # Most records have one or two translations: twice the records wanted
        # is nearly always enough documents; otherwise ask again for more.
        limit = 2 * wanted + 20
        while True:
            rows = self._ranked_documents(matches, params, audience, order, limit)
            if relevance:
                rows.sort(key=lambda row: (row[0], row[1]))
            records = {}
            for _score, record_id, record_number, doc_id, page_id in rows:
                entry = records.setdefault(record_number, [record_id, [], []])
                entry[1].append(doc_id)
                entry[2].append(page_id)
            if len(records) >= wanted or len(rows) < limit:
                return list(records.values())
            limit *= 4

    def _totals(self, matches, params, audience):
        """(count of records, {facet: {value: count}}) over every matching document.

        One unranked pass, with no sort and no grouping (both cost SQLite a
        sort of every match): a record is counted by its first page's document,
        or by another translation's when that one does not match (only
        translated records' first documents are listed to tell). Facet values
        travel packed in one integer per document and are tallied in Python;
        languages count documents.
        """
        where, args = self._where(matches, params, audience)
        # Four bits each for the lunar month (1-12) and media flags, one for the kind.
        code = (
            "((COALESCE(d.province_id, 0) * 16 + (COALESCE(d.lunar_month, 0) %% 16)) * 2 "
            "+ CASE WHEN d.kind = 'custom' THEN 1 ELSE 0 END) * 16 + d.media_types"
        )
        if self.vendor == "sqlite":
            concat, text = "group_concat({}, ',')", "({})"
        else:
            concat, text = "string_agg({}, ',')", "CAST({} AS VARCHAR)"
        first = "d.page_id = d.record_number"
        other = (
            f"{text.format('d.record_number')} || ';' || {text.format(code)} "
            "|| ';' || d.ethnic_group_ids"
        )
        languages = [code for code, _name in settings.LANGUAGES]
        columns = ["SUM(CASE WHEN d.locale = %s THEN 1 ELSE 0 END)"] * len(languages)
        columns += [
            concat.format(f"CASE WHEN {first} THEN {text.format(code)} END"),
            concat.format(f"CASE WHEN {first} THEN d.ethnic_group_ids END"),
            concat.format(
                f"CASE WHEN d.translated AND {first} THEN {text.format('d.record_number')} END"
            ),
            concat.format(f"CASE WHEN NOT ({first}) THEN {other} END"),
        ]
        sql = f"SELECT {', '.join(columns)} FROM {matches.from_clause} WHERE {where}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*languages, *args])
            *per_language, codes, groups, firsts, others = cursor.fetchone()
        tally = Tally()
        tally.add_all(codes, groups)
        # Another translation's document counts unless its first page's matched.
        counted = set(firsts.split(",")) if others and firsts else set()
        for entry in others.split(",") if others else []:
            if entry:
                record_number, code, group_ids = entry.split(";")
                if record_number not in counted:
                    counted.add(record_number)
                    tally.add(code, group_ids)
        return tally.result(dict(zip(languages, per_language, strict=True)))

    def _visible(self, records, audience):
        """``records`` less those whose matching pages ``audience`` may not see."""
        page_ids = [page_id for _, _, page_ids in records for page_id in page_ids]
        visible = set(
            RecordPage.objects.visible_to(audience)
            .filter(pk__in=page_ids)
            .order_by()
            .values_list("pk", flat=True)
        )
        return [entry for entry in records if visible.intersection(entry[2])]

    def search(self, query, params, user):
        """Stage one ranks the matches by the words alone (bm25 / ts_rank, as cheap as
        the raw index); stage two re-ranks the first :data:`RERANK_WINDOW` records
        with the exact-form, phrase and own-group tiers. Totals and facets come from a
        second, unranked statement.
        """
        audience = Audience.of(user)
        matches = self._matches(query, boosts=False)
        rerank = (
            params.sort == "relevance"
            and not query.is_empty
            and (query.has_diacritics or len(query.folded_words) > 1)
            and params.offset < RERANK_WINDOW
        )
        end = params.offset + params.page_size
        # A few more than the page, to fill it if the access check drops some.
        wanted = max(RERANK_WINDOW, end) if rerank else end
        ranked = self._ranked_records(matches, params, audience, wanted + params.page_size)
        if rerank:
            window = ranked[:RERANK_WINDOW]
            tiers = boost_tiers(query, [i for entry in window for i in entry[1]])
            order_of = {entry[0]: n for n, entry in enumerate(window)}
            window.sort(
                key=lambda entry: (
                    min(tiers.get(i, (0, 0)) for i in entry[1]),
                    order_of[entry[0]],
                )
            )
            ranked = window + ranked[RERANK_WINDOW:]
        page = self._visible(ranked[params.offset :], audience)[: params.page_size]
        count, facets = self._totals(matches, params, audience)
        return RawResult(record_ids=[entry[0] for entry in page], count=count, facets=facets)

    def suggest(self, query, user, limit=8):
        from search.query import SearchParams

        audience = Audience.of(user)
        matches = self._matches(query, titles_only=True)
        ranked = self._ranked_records(matches, SearchParams(), audience, limit + 8)
        return [entry[0] for entry in self._visible(ranked, audience)[:limit]]

    def correct(self, query):
        words = query.folded_words
        known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
        respelled, changed = [], False
        for word in words:
            if word in known or len(word) < 4 or word.isdigit():
                respelled.append(word)
                continue
            candidates = list(
                SearchTerm.objects.filter(
                    first=word[0], length__range=(len(word) - 2, len(word) + 2)
                )
                .order_by("-frequency")
                .values_list("term", flat=True)[:5000]
            )
            close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
            if close:
                respelled.append(close[0])
                changed = True
            else:
                respelled.append(word)
        return " ".join(respelled) if changed else None


def boost_tiers(query, doc_ids):
    """Sort keys (lower first) of a few documents: exact forms, the whole phrase, then
    the record's own group named.

    Computed in Python over the first records only: FTS5 recomputes its
    statistics for every ``rowid IN`` probe, so a second bm25 pass in SQL
    costs as much as a full search.
    """
    from search.models import RecordSearchDocument

    columns = ["title_exact", "names_exact", "body_exact", "title_folded", "names_folded"]
    rows = RecordSearchDocument.objects.filter(id__in=doc_ids).values_list(
        "id", *columns, "body_folded", "ethnic_group_ids"
    )
    words = query.folded_words
    phrase = " " + " ".join(words) + " " if len(words) > 1 else None
    named_groups = groups_named_in(query)
    tiers = {}
    for doc_id, t_exact, n_exact, b_exact, t_folded, n_folded, b_folded, group_ids in rows:
        exact_all = 0
        if query.has_diacritics:
            text = f" {t_exact} {n_exact} {b_exact} "
            exact_all = int(all(f" {' '.join(clause.exact)} " in text for clause in query.clauses))
        phrase_tier = 0
        if phrase:
            if phrase in f" {t_folded} ":
                phrase_tier = 2
            elif phrase in f" {n_folded} {b_folded} ":
                phrase_tier = 1
        own_group = int(not named_groups.isdisjoint(group_ids.split()))
        tiers[doc_id] = (-exact_all, -phrase_tier, -own_group)
    return tiers


def groups_named_in(query):
    """Ids (as text) of the ethnic groups whose own name, Vietnamese or English, the query holds.

    Only own names: other names are shared ("Tày Đăm" is a name of the Thái), so a
    record of the Tày ranks above a Thái record for "Tày". Words typed with
    diacritics compare exact forms, so "Tây Nguyên" does not name the Tày.
    """
    exactly = query.has_diacritics
    if exactly:
        typed = [w for clause in query.clauses for w in clause.exact]
    else:
        typed = query.folded_words
    typed = f" {' '.join(typed)} "
    named = set()
    for pk, *names in EthnicGroup.objects.values_list("pk", "name_vi", "name_en"):
        spelled = [_spelled_name(name, exactly) for name in names]
        if any(name and f" {name} " in typed for name in spelled):
            named.add(str(pk))
    return named


# Keyed on the name itself, so a renamed group is spelled afresh; the search pays
# for its one query of the group table only.
@lru_cache(maxsize=1024)
def _spelled_name(name, exactly):
    return " ".join(exact_tokens(name) if exactly else tokens(name))


class Tally:
    """Facet counts of counted documents from their packed codes and group lists."""

    def __init__(self):
        self.codes = Counter()
        self.groups = Counter()

    def add_all(self, codes, groups):
        """Add comma-separated codes and group lists (one entry per document)."""
        if codes:
            self.codes.update(codes.split(","))
        if groups:
            self.groups.update(groups.split(","))

    def add(self, code, group_ids):
        self.codes[code] += 1
        self.groups[group_ids] += 1

    def result(self, per_language):
        """(count, {facet: {value: count}})."""
        facets = {name: Counter() for name in ["province", "kind", "lunar_month", "media_type"]}
        count = 0
        for packed, n in self.codes.items():
            code = int(packed)
            count += n
            media, code = code & 15, code >> 4
            custom, code = code & 1, code >> 1
            month, province = code & 15, code >> 4
            if province:
                facets["province"][province] += n
            if month:
                facets["lunar_month"][month] += n
            facets["kind"]["custom" if custom else "festival"] += n
            for media_type, flag in MediaFlag.BY_TYPE.items():
                if media & flag:
                    facets["media_type"][media_type] += n
        by_group = Counter()
        for group_ids, n in self.groups.items():
            for group_id in group_ids.split():
                by_group[int(group_id)] += n
        facets["ethnic_group"] = by_group
        facets["language"] = {code: int(n) for code, n in per_language.items() if n}
        return count, {name: dict(values) for name, values in facets.items()}
