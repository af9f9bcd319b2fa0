"""Search backends configured in ``WAGTAILSEARCH_BACKENDS``."""
