"""The API's docs page runs Swagger UI from our own files, under the site's CSP, in Chromium."""

from urllib.parse import urlsplit

from tests.factories import ensure_reference_data


def test_the_api_docs_page_shows_the_endpoints_with_nothing_broken_or_fetched_elsewhere(
    browser, live_server
):
    ensure_reference_data()
    context = browser.new_context()
    tab = context.new_page()
    problems, hosts = [], set()
    tab.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    response = tab.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    tab.wait_for_selector(".opblock-summary-path")
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    tab.wait_for_load_state("networkidle")
    context.close()
    for path in ("/api/v1/records", "/api/v1/records/{record_id}", "/api/v1/media"):
        assert path in [p.replace("\u200b", "").strip() for p in paths]
    assert hosts == {urlsplit(live_server.url).hostname}, hosts
    assert problems == []
