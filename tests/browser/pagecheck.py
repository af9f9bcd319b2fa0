"""What several browser modules check on a page: axe-core, requests seen, waiting on the page."""

import re
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SEGMENT = re.compile(r"/hls/(\d+p)/seg_\d+\.m4s$")


def run_axe(tab):
    """axe-core's violations on the page as it is now, WCAG 2.1 AA and best practice."""
    # Evaluated through the DevTools protocol: the page's CSP refuses inline scripts.
    tab.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    return tab.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
           .then(r => r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target).join(" ")))""",
        AXE_TAGS,
    )


def watch_requests(tab):
    """Keep the URLs the page requests in ``tab.seen`` and its script errors in ``tab.errors``."""
    tab.seen = []
    tab.errors = []
    tab.on("request", lambda request: tab.seen.append(request.url))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))


def wait_until(tab, predicate, seconds=60):
    """Poll a JS predicate until it holds (wait_for_function would need 'unsafe-eval')."""
    for _ in range(seconds * 10):
        if tab.evaluate(predicate):
            return
        tab.wait_for_timeout(100)
    raise AssertionError(f"never became true: {predicate}")


def segments(tab, rung=None):
    """The HLS segments the page requested, of one rung or of all."""
    found = [SEGMENT.search(url) for url in tab.seen]
    return [m.group(0) for m in found if m and (rung is None or m.group(1) == rung)]


def open_lightbox_by_keyboard(tab):
    """Focus the page's first photo, press Enter; the open lightbox once its image shows."""
    links = tab.locator("a.lightbox-link")
    assert links.count() == 2
    links.first.focus()
    tab.keyboard.press("Enter")
    dialog = tab.locator("dialog.lightbox")
    assert dialog.is_visible()
    wait_until(tab, "() => document.querySelector('.lightbox-image').naturalWidth > 0")
    return dialog
