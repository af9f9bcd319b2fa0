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
    f"""CREATE TRIGGER IF NOT EXISTS search_doc_au AFTER UPDATE ON {DOCUMENT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old});
        INSERT INTO {FTS_TABLE}(rowid, {_cols}) VALUES (new.id, {_new});
    END""",
]
SQLITE_DROP = [
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


def rebuild_fts(connection):
    """Rebuild SQLite's FTS5 table from the document table (after bulk loads or repair)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
