"""A real Elasticsearch 8 for the live tests, when ``ELASTICSEARCH_URL`` is given."""

import contextlib
import os

from wagtail.search.backends import get_search_backend

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@contextlib.contextmanager
def live_backend(settings, prefix):
    """The search backend on indices of their own under ``prefix``, deleted afterwards."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 30,
            "ATOMIC_REBUILD": True,
        }
    }
    backend = get_search_backend()
    try:
        yield backend
    finally:
        # Delete by name: Elasticsearch 8 refuses wildcard deletes by default.
        for name in list(backend.es.indices.get(index=f"{prefix}*").keys()):
            backend.es.indices.delete(index=name)
