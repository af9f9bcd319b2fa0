"""The demo's settings as bootstrap.py serves them, plus the benchmark's minimal view."""

from heritage.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.pages_site.urls"
