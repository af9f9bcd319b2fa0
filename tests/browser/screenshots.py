"""Screenshots of the public site at phone and desktop sizes, for a human to look at.

Usage (against a running server with the demo loaded)::

    .venv/bin/python tests/browser/screenshots.py [--base-url http://127.0.0.1:8000]

Writes var/screenshots/<page>-<lang>-<size>.png. Pages are found by following
the site's own links from the home page, so no database access is needed.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"phone": (360, 740), "desktop": (1366, 900)}
OUT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def find_pages(page, base_url, record_path=None):
    """Name -> URL of the pages to shoot, found from the home page's links."""
    page.goto(base_url)
    first = lambda selector: urljoin(base_url, page.locator(selector).first.get_attribute("href"))  # noqa: E731
    urls = {
        "home-vi": base_url,
        "province-vi": first("#provinces .chips a"),
        "group-vi": first("section[aria-labelledby=groups-heading] .chips a"),
        "groups-vi": urljoin(base_url, "/ethnic-groups/"),
        "record-vi": urljoin(base_url, record_path) if record_path else first(".card-title a"),
    }
    english = {}
    for name, url in urls.items():
        page.goto(url)
        english[name.replace("-vi", "-en")] = urljoin(
            base_url, page.locator(".lang-switch a[hreflang=en]").get_attribute("href")
        )
    return {**urls, **english}


def take(base_url, out_dir=OUT_DIR, record_path=None):
    """Shoot every page at every size; returns the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages = find_pages(browser.new_page(), base_url, record_path)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            tab = context.new_page()
            for name, url in pages.items():
                tab.goto(url)
                path = out_dir / f"{name}-{size}.png"
                tab.screenshot(path=str(path), full_page=True)
                written.append(path)
                print(path, file=sys.stdout)
            context.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000/")
    parser.add_argument(
        "--record", help="path of the record page to shoot, e.g. /lang-son/le-hoi-long-tong/"
    )
    args = parser.parse_args()
    take(args.base_url, record_path=args.record)


if __name__ == "__main__":
    main()
