"""Every test here drives headless Chromium against Django's live server.

The live server needs committed data, so each test is transactional
(``ensure_reference_data()`` or the ``archive`` fixture restore what the
flush removes), unless its module says ``KEEPS_ITS_DATA``: then it commits
and clears its data itself, and each test only reads it. The live server runs
in a thread beside Playwright's event loop, so the async-unsafe ORM is
allowed to run there.
"""

import os
from pathlib import Path

import pytest

from tests.browser.screenshots import CHROMIUM, launch

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
HERE = Path(__file__).resolve().parent


# First, so that pytest-django orders these tests as the transactional ones they are.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    chromium_missing = not os.path.exists(CHROMIUM)
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.slow)
        if getattr(item.module, "KEEPS_ITS_DATA", False):
            item.add_marker(pytest.mark.django_db)
        else:
            item.add_marker(pytest.mark.django_db(transaction=True))
        if chromium_missing:
            item.add_marker(
                pytest.mark.skip(reason=f"headless Chromium not installed at {CHROMIUM}")
            )


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests; each test opens its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
