"""Public pages and the Wagtail admin run under their Content-Security-Policy in Chromium.

Every ``securitypolicyviolation`` event the browser fires, and every console
message about the policy, is collected; a page that breaks the policy fails.
"""

import pytest
from django.contrib.auth.models import User

from heritage.curation import set_up_archive
from heritage.models import Province
from tests.browser.admin import log_in
from tests.browser.screenshots import launch
from tests.factories import ensure_reference_data, make_record

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def record():
    ensure_reference_data()
    set_up_archive(provinces=Province.objects.filter(name_vi="Lạng Sơn"))
    User.objects.create_superuser("root", password="pw")  # noqa: S106
    return make_record("Lễ hội Lồng Tồng", province="Lạng Sơn", summary="Ném còn, kéo co.")


def about_the_policy(text):
    return "Content Security Policy" in text


@pytest.fixture
def tab(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.add_init_script(COLLECT_VIOLATIONS)
        page.policy_messages = []
        page.on(
            "console",
            lambda msg: about_the_policy(msg.text) and page.policy_messages.append(msg.text),
        )
        yield page
        browser.close()


def visit(tab, url):
    """Load a page, let its scripts settle, and return what broke the policy there."""
    response = tab.goto(url)
    assert response.status == 200, url
    assert response.headers["content-security-policy"]
    tab.wait_for_load_state("networkidle")
    found = tab.evaluate("window.__csp") + tab.policy_messages
    tab.policy_messages.clear()
    return found


def inline_script_runs(tab):
    """Insert an inline script the way an injected one would arrive; did it run?"""
    return tab.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true;";
          document.body.append(script);
          return window.__ran === true;
        }"""
    )


def test_public_pages_keep_to_the_policy(tab, live_server, record):
    pages = ["/", record.url, "/search/?q=long+tong", "/ethnic-groups/"]
    violations = {path: visit(tab, live_server.url + path) for path in pages}
    assert violations == {path: [] for path in pages}
    policy = tab.goto(live_server.url + record.url).headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert not inline_script_runs(tab)
    assert tab.evaluate("window.__csp")[0].startswith("script-src-elem blocked inline")


def test_admin_keeps_to_its_policy(tab, live_server, record):
    log_in(tab, live_server.url, "root", "pw")
    pages = [
        "/admin/",
        f"/admin/pages/{record.pk}/edit/",
        f"/admin/pages/{record.get_parent().pk}/",
        f"/admin/pages/add/heritage/festivalpage/{record.get_parent().pk}/",
        "/admin/snippets/heritage/person/",
        "/admin/snippets/heritage/consent/add/",  # choosers and date pickers
        "/admin/media-upload/",
        "/admin/import-records/",
        record.url,  # the public page with the admin's user bar
    ]
    violations = {path: visit(tab, live_server.url + path) for path in pages}
    assert violations == {path: [] for path in pages}
    policy = tab.goto(live_server.url + "/admin/").headers["content-security-policy"]
    assert "'unsafe-eval'" not in policy
    assert "style-src 'self';" in policy + ";"  # Wagtail's admin needs no inline style


def test_draft_preview_in_the_admin_gets_the_public_policy(tab, live_server, record):
    log_in(tab, live_server.url, "root", "pw")
    assert visit(tab, live_server.url + f"/admin/pages/{record.pk}/view_draft/") == []
    assert not inline_script_runs(tab)


def test_preview_panel_shows_the_page_inside_the_editor(tab, live_server, record):
    log_in(tab, live_server.url, "root", "pw")
    assert visit(tab, live_server.url + f"/admin/pages/{record.pk}/edit/") == []
    tab.click("[data-side-panel-toggle=preview]")
    preview = tab.frame_locator("#w-preview-iframe")
    assert preview.locator("h1").inner_text(timeout=20_000) == "Lễ hội Lồng Tồng"
    assert tab.policy_messages == []
