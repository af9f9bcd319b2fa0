"""Wagtail's database search backend, with queries SQLite's FTS5 can always parse.

The admin searches (people, media, pages, choosers) go through this backend.
On SQLite with FTS5 it is :class:`search.backends.sqlite_fts5.FTS5SafeSearchBackend`;
PostgreSQL (and SQLite without FTS5) get modelsearch's own backend unchanged.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The database's own backend, made safe for double quotes when it is SQLite's FTS5."""
    backend = database_backend(params)
    if connection.vendor != "sqlite":
        return backend
    # Imported only on SQLite: modelsearch's SQLite module looks up SQLite-only models.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from search.backends.sqlite_fts5 import FTS5SafeSearchBackend

    return FTS5SafeSearchBackend(params) if type(backend) is SQLiteSearchBackend else backend
