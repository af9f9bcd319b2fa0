"""modelsearch's SQLite FTS5 backend with double quotes in queries escaped.

modelsearch puts each word of a query between double quotes but does not
double the double quotes inside it, as FTS5 requires, so a word holding a
``"`` was an FTS5 syntax error and the admin searches answered 500. Doubled,
FTS5 reads them as part of the word and its tokenizer drops them. Import
this module only when the database is SQLite (see search/backends/database.py).
"""

from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend


def with_double_quotes_doubled(query):
    return query.replace('"', '""') if isinstance(query, str) else query


class FTS5SafeSearchBackend(SQLiteSearchBackend):
    def search(self, query, *args, **kwargs):
        return super().search(with_double_quotes_doubled(query), *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        return super().autocomplete(with_double_quotes_doubled(query), *args, **kwargs)
