"""Record search on the database: SQLite FTS5 or PostgreSQL full text.

One SQL statement per search: the full-text index finds and ranks the
matching documents (bm25 on FTS5, ts_rank on the GIN-indexed tsvector), the
access rule (``RecordPage.objects.visible_to(user)``) and the facet filters
narrow them, documents collapse to one row per record, and the same
materialised set gives the page of record ids, the total and every facet
count (grouped queries over the ids, never over the page).
"""

# SQL text here is built from constants and identifiers only; every visitor's value
# travels as a query parameter.
# ruff: noqa: S608

import difflib

from django.db import connection

from heritage.models import RecordPage
from search.documents import english_stems
from search.fts import FTS_TABLE
from search.models import MediaFlag, SearchTerm
from search.query import RawResult, RecordSearchBackend

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

# Records re-ranked with the exact-form and phrase boosts (stage two).
RERANK_WINDOW = 200

SORT_ORDERS = {
    "relevance": "score, record_id",
    "title": "sort_title, record_id",
    "lunar_month": "CASE WHEN lunar_month IS NULL THEN 1 ELSE 0 END, lunar_month, sort_title, "
    "record_id",
}


def _ethnic_group_table():
    through = RecordPage.ethnic_groups.through
    return through._meta.db_table


def _visible_sql(user):
    queryset = RecordPage.objects.visible_to(user).order_by().values("pk")
    return queryset.query.sql_with_params()


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
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_ethnic_group_table()} eg WHERE "
            f"eg.recordpage_id = d.page_id AND eg.ethnicgroup_id IN ({placeholders}))"
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


class DatabaseSearch(RecordSearchBackend):
    """Record search on the project database (SQLite or PostgreSQL)."""

    def __init__(self, using=None):
        self.connection = connection
        self.vendor = connection.vendor

    # -- the matching documents ---------------------------------------------------
    def _matches(self, query, titles_only=False, boosts=True):
        """(FROM clause, WHERE condition, score expression, params) for the text part."""
        if query.is_empty:
            return f"{DOCUMENTS} d", "1 = 1", "0.0", []
        if self.vendor == "sqlite":
            weights = ", ".join(str(w) for w in BM25_WEIGHTS)
            return (
                f"{FTS_TABLE} JOIN {DOCUMENTS} d ON d.id = {FTS_TABLE}.rowid",
                f"{FTS_TABLE} MATCH %s",
                f"bm25({FTS_TABLE}, {weights})",
                [fts5_expression(query, titles_only=titles_only, boosts=boosts)],
            )
        if self.vendor == "postgresql":
            match, exact, phrase = tsquery_expressions(query)
            if not boosts:
                exact = phrase = None
            vector = "d.search_vector"
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
            condition = f"{vector} @@ to_tsquery('simple', %s)"
            if titles_only:
                condition = (
                    f"{condition} AND ts_filter(d.search_vector, '{{a}}') "
                    "@@ to_tsquery('simple', %s)"
                )
            # Lower is better everywhere, as with bm25.
            return (
                f"{DOCUMENTS} d",
                condition,
                "-(" + " + ".join(score) + ")",
                {"score": score_args, "where": [match] * (2 if titles_only else 1)},
            )
        raise NotImplementedError(f"No record search for database {self.vendor!r}")

    def _hits_cte(self, query, params, user, titles_only=False, boosts=True):
        from_clause, condition, score, match_args = self._matches(query, titles_only, boosts)
        if isinstance(match_args, dict):
            score_args, where_args = match_args["score"], match_args["where"]
        else:
            score_args, where_args = [], match_args
        visible_sql, visible_args = _visible_sql(user)
        conditions, facet_args = _facet_conditions(params)
        where = " AND ".join([condition, f"d.page_id IN ({visible_sql})", *conditions])
        sql = (
            "hits AS MATERIALIZED (SELECT d.id, d.record_id, d.page_id, d.locale, d.province_id, "
            "d.kind, d.lunar_month, d.media_types, d.sort_title, "
            f"{score} AS score FROM {from_clause} WHERE {where})"
        )
        return sql, [*score_args, *where_args, *visible_args, *facet_args]

    def search(self, query, params, user):
        """Stage one ranks every match by the words alone (bm25 / ts_rank, as cheap as
        the raw index) and counts facets; stage two re-ranks the first
        :data:`RERANK_WINDOW` records with the exact-form and phrase boosts.
        """
        hits_sql, args = self._hits_cte(query, params, user, boosts=False)
        order = SORT_ORDERS.get(params.sort, SORT_ORDERS["relevance"])
        if query.is_empty and params.sort == "relevance":
            order = SORT_ORDERS["title"]
        rerank = (
            params.sort == "relevance"
            and not query.is_empty
            and (query.has_diacritics or len(query.folded_words) > 1)
            and params.offset < RERANK_WINDOW
        )
        if rerank:
            limit, offset = max(RERANK_WINDOW, params.offset + params.page_size), 0
        else:
            limit, offset = params.page_size, params.offset
        if self.vendor == "sqlite":
            as_text, doc_ids = "CAST({} AS TEXT)", "GROUP_CONCAT(id)"
        else:
            as_text, doc_ids = "CAST({} AS VARCHAR)", "string_agg(CAST(id AS VARCHAR), ',')"
        number = "CAST({} AS DOUBLE PRECISION)"
        count = number.format("COUNT(*)")
        facet_rows = [
            f"SELECT 'count', NULL, {count}, NULL FROM recs",
            f"SELECT 'province', {as_text.format('province_id')}, {count}, NULL "
            "FROM recs GROUP BY province_id",
            f"SELECT 'kind', kind, {count}, NULL FROM recs GROUP BY kind",
            f"SELECT 'lunar_month', {as_text.format('lunar_month')}, {count}, NULL "
            "FROM recs GROUP BY lunar_month",
            f"SELECT 'language', locale, {count}, NULL FROM hits GROUP BY locale",
            f"SELECT 'ethnic_group', {as_text.format('eg.ethnicgroup_id')}, {count}, NULL "
            f"FROM recs r JOIN {_ethnic_group_table()} eg "
            "ON eg.recordpage_id = r.page_id GROUP BY eg.ethnicgroup_id",
        ]
        for media_type, flag in MediaFlag.BY_TYPE.items():
            with_media = f"SUM(CASE WHEN (media_types & {flag}) <> 0 THEN 1 ELSE 0 END)"
            facet_rows.append(
                f"SELECT 'media_type', '{media_type}', {number.format(with_media)}, NULL FROM recs"
            )
        sql = (
            f"WITH {hits_sql}, recs AS MATERIALIZED (SELECT record_id, MIN(score) AS score, "
            "MIN(page_id) AS page_id, MIN(province_id) AS province_id, MIN(kind) AS kind, "
            "MIN(lunar_month) AS lunar_month, MAX(media_types) AS media_types, "
            f"MIN(sort_title) AS sort_title, {doc_ids} AS doc_ids FROM hits GROUP BY record_id) "
            "SELECT * FROM (SELECT 'hit' AS facet, record_id AS value, score AS n, doc_ids "
            f"FROM recs ORDER BY {order} LIMIT %s OFFSET %s) AS page_of_hits UNION ALL "
            + " UNION ALL ".join(facet_rows)
        )
        args = [*args, limit, offset]
        ranked, count, facets = [], 0, {}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)
            for facet, value, number_, ids in cursor.fetchall():
                if facet == "hit":
                    ranked.append((value, [int(i) for i in str(ids).split(",")]))
                elif facet == "count":
                    count = int(number_ or 0)
                elif value is not None and number_:
                    facets.setdefault(facet, {})[_facet_value(facet, value)] = int(number_)
        if rerank:
            window = ranked[:RERANK_WINDOW]
            tiers = boost_tiers(query, [i for _, ids in window for i in ids])
            order_of = {record_id: n for n, (record_id, _) in enumerate(window)}
            window.sort(
                key=lambda item: (
                    min(tiers.get(i, (0, 0)) for i in item[1]),
                    order_of[item[0]],
                )
            )
            ranked = (window + ranked[RERANK_WINDOW:])[
                params.offset : params.offset + params.page_size
            ]
        return RawResult(record_ids=[r for r, _ in ranked], count=count, facets=facets)

    def suggest(self, query, user, limit=8):
        from search.query import SearchParams

        hits_sql, args = self._hits_cte(query, SearchParams(), user, titles_only=True)
        sql = (
            f"WITH {hits_sql} SELECT record_id FROM hits GROUP BY record_id "
            "ORDER BY MIN(score), record_id LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*args, limit])
            return [row[0] for row in cursor.fetchall()]

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
    """Sort keys (lower first) of a few documents: exact forms, then the whole phrase.

    Computed in Python over the first records only: FTS5 recomputes its
    statistics for every ``rowid IN`` probe, so a second bm25 pass in SQL
    costs as much as a full search.
    """
    from search.models import RecordSearchDocument

    columns = ["title_exact", "names_exact", "body_exact", "title_folded", "names_folded"]
    rows = RecordSearchDocument.objects.filter(id__in=doc_ids).values_list(
        "id", *columns, "body_folded"
    )
    words = query.folded_words
    phrase = " " + " ".join(words) + " " if len(words) > 1 else None
    tiers = {}
    for doc_id, t_exact, n_exact, b_exact, t_folded, n_folded, b_folded in rows:
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
        tiers[doc_id] = (-exact_all, -phrase_tier)
    return tiers


def _facet_value(facet, value):
    if facet in {"province", "ethnic_group", "lunar_month"}:
        try:
            return int(float(value))
        except ValueError:
            return value
    return value
