"""The database-specific full-text structures behind ``RecordSearchDocument``.

SQLite: an external-content FTS5 table ``search_fts`` kept in step by
triggers. Its tokenizer only has to split on spaces and keep diacritics
(``remove_diacritics 0``): the exact and folded words are computed in Python.

PostgreSQL: generated tsvector columns under the 'simple' configuration (no
stop words, no stemming: "then", "can", "do" are Vietnamese syllables; the
English stems are computed in Python) and a GIN index.
"""

# SQL text here is built from constants and identifiers only; every visitor's value
# travels as a query parameter.
# ruff: noqa: S608

DOCUMENT_TABLE = "search_recordsearchdocument"
FTS_TABLE = "search_fts"
FTS_COLUMNS = [
    "title_exact",
    "title_folded",
    "names_exact",
    "names_folded",
    "body_exact",
    "body_folded",
    "title_english",
    "body_english",
]

_cols = ", ".join(FTS_COLUMNS)
_new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        {_cols}, content='{DOCUMENT_TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')""",
    f"""CREATE TRIGGER IF NOT EXISTS search_doc_ai AFTER INSERT ON {DOCUMENT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_cols}) VALUES (new.id, {_new});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_doc_ad AFTER DELETE ON {DOCUMENT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_doc_au AFTER UPDATE OF {_cols} ON {DOCUMENT_TABLE}
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old});
        INSERT INTO {FTS_TABLE}(rowid, {_cols}) VALUES (new.id, {_new});
    END""",
]
# Only text changes touch FTS5: refreshing the access copy or facet values must not
# re-tokenise a document.
SQLITE_UPDATE_TRIGGER = SQLITE_CREATE[-1]

# A narrow copy of what the search query reads per matching document, keyed by
# id. A document row is several kilobytes and page_id sits after the texts, so
# reading it from the table walks overflow pages; this index keeps the same
# values in a few dozen bytes (the query names it with INDEXED BY).
FACET_INDEX = "search_doc_facets"
FACET_INDEX_COLUMNS = [
    "id",
    "public",
    "record_number",
    "translated",
    "record_id",
    "page_id",
    "locale",
    "kind",
    "province_id",
    "lunar_month",
    "media_types",
    "ethnic_group_ids",
    "sort_title",
]
SQLITE_FACET_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {FACET_INDEX} ON {DOCUMENT_TABLE} "
    f"({', '.join(FACET_INDEX_COLUMNS)})"
)

SQLITE_DROP = [
    f"DROP INDEX IF EXISTS {FACET_INDEX}",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _vector(weighted_columns):
    return " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in weighted_columns
    )


# Weights: A titles, B names, C body, D English body.
POSTGRES_CREATE = [
    f"""ALTER TABLE {DOCUMENT_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS ({
        _vector(
            [
                ("title_folded", "A"),
                ("names_folded", "B"),
                ("body_folded", "C"),
                ("title_english", "A"),
                ("body_english", "D"),
            ]
        )
    }) STORED""",
    f"""ALTER TABLE {DOCUMENT_TABLE} ADD COLUMN IF NOT EXISTS exact_vector tsvector
        GENERATED ALWAYS AS ({
        _vector([("title_exact", "A"), ("names_exact", "B"), ("body_exact", "C")])
    }) STORED""",
    f"CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON {DOCUMENT_TABLE} "
    "USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    f"ALTER TABLE {DOCUMENT_TABLE} DROP COLUMN IF EXISTS exact_vector",
    f"ALTER TABLE {DOCUMENT_TABLE} DROP COLUMN IF EXISTS search_vector",
]


def create(schema_editor):
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def drop(schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def create_facet_index(schema_editor):
    """Migration 0003: the narrow facet index, and the update trigger limited to texts.

    Adding a NOT NULL column makes Django rebuild the SQLite table, which drops
    its triggers: every statement of :data:`SQLITE_CREATE` runs again.
    """
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_doc_au")
        for statement in [*SQLITE_CREATE, SQLITE_FACET_INDEX]:
            schema_editor.execute(statement)


def drop_facet_index(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FACET_INDEX}")


def rebuild_fts(connection):
    """Rebuild SQLite's FTS5 table from the document table (after bulk loads or repair)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
