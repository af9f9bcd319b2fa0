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


def _keeps_its_data(item):
    return HERE in Path(item.path).resolve().parents and getattr(
        item.module, "KEEPS_ITS_DATA", False
    )


# Around pytest-django's ordering: marked before it, so that it orders these tests
# as the transactional ones they are.
@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    chromium_missing = not os.path.exists(CHROMIUM)
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.slow)
        if _keeps_its_data(item):
            item.add_marker(pytest.mark.django_db)
        else:
            item.add_marker(pytest.mark.django_db(transaction=True))
        if chromium_missing:
            item.add_marker(
                pytest.mark.skip(reason=f"headless Chromium not installed at {CHROMIUM}")
            )
    result = yield
    # A module keeping its data empties the database when it ends, as a
    # transactional test does: it runs after the last test using the database,
    # where pytest-django puts transactional tests, not among the rolled-back ones.
    keeping = [item for item in items if _keeps_its_data(item)]
    if keeping:
        rest = [item for item in items if not _keeps_its_data(item)]
        uses_db = [
            n
            for n, item in enumerate(rest)
            if item.get_closest_marker("django_db")
            or {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        ]
        at = uses_db[-1] + 1 if uses_db else 0
        items[:] = [*rest[:at], *keeping, *rest[at:]]
    return result


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests; each test opens its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
