"""Settings for the test suite: fast hashing, in-memory cache, tasks run at once."""

import os
import tempfile

# Each test run writes media to its own scratch folders, never to var/.
_scratch = tempfile.mkdtemp(prefix="heritage-test-")
os.environ.setdefault("MEDIA_ROOT", os.path.join(_scratch, "media"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", os.path.join(_scratch, "private"))

from .dev import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Every test client comes from one address and the cache outlives a test: the
# limits are tested by lowering them (tests/open_data/test_api.py).
OPEN_DATA_RATES = {name: "100000/m" for name in OPEN_DATA_RATES}  # noqa: F405
# pytest-django turns DEBUG off: static URLs must not need a collectstatic manifest.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# collectstatic's folder, which WhiteNoise looks for (tests use the finders).
STATIC_ROOT = os.path.join(_scratch, "static")
os.makedirs(STATIC_ROOT, exist_ok=True)
# Pages are cached only in the tests of the page cache (tests/heritage/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
# Parallel test runs against one PostgreSQL server each get their own database.
# SQLite's is a file in the scratch folder, not in memory: Django's live
# server shares one connection between its threads for an in-memory database,
# so a browser's overlapping requests (an autosave during a save) would fail
# with "database table is locked", which a real server never does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_scratch, "test.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_heritage_{os.getpid()}"}  # noqa: F405
