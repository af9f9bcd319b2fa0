"""The Redis databases a test run may flush.

``bootstrap.py test`` runs the SQLite and PostgreSQL passes side by side;
each gets its own pair (``TEST_REDIS_DB_BASE``), so neither flushes the
other's queue.
"""

import os


def redis_url(index):
    """The URL of this run's Redis database ``index`` (0 or 1)."""
    base = int(os.environ.get("TEST_REDIS_DB_BASE", "14"))
    return f"redis://127.0.0.1:6379/{base + index}"
