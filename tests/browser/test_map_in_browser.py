"""The map page in headless Chromium: a visitor's keyboard reaches a province, then a record.

Runs at a phone and a desktop size under the public Content-Security-Policy,
and saves screenshots under ``var/screenshots/map/`` (printed) to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from heritage.access import Access
from heritage.curation import set_up_archive
from heritage.models import Province
from tests.browser.pagecheck import run_axe
from tests.browser.screenshots import launch
from tests.browser.test_csp_in_browser import COLLECT_VIOLATIONS
from tests.factories import ensure_reference_data, make_record

SIZES = {"phone": (360, 740), "desktop": (1366, 800)}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "map"


@pytest.fixture
def site():
    ensure_reference_data()
    set_up_archive(provinces=Province.objects.filter(name_vi__in=["Lào Cai", "Gia Lai"]))
    gau_tao = make_record(
        "Lễ hội Gầu Tào",
        groups=("H'Mông",),
        province="Lào Cai",
        locality="Xã Bản Lầu",
        latitude=Decimal("22.612845"),
        longitude=Decimal("104.121437"),
    )
    make_record(
        "Lễ hội Roóng Poọc",
        groups=("Giáy",),
        province="Lào Cai",
        latitude=Decimal("22.35"),
        longitude=Decimal("103.87"),
    )
    make_record(
        "Lễ bỏ mả",
        kind="custom",
        groups=("Gia Rai",),
        province="Gia Lai",
        latitude=Decimal("13.98"),
        longitude=Decimal("108.0"),
    )
    make_record(
        "Lễ kín của dòng họ",
        province="Lào Cai",
        latitude=Decimal("22.5"),
        longitude=Decimal("104.0"),
        access=Access.RESTRICTED,
    )
    return {"record": gau_tao}


@pytest.fixture(params=list(SIZES))
def tab(request, live_server):
    from playwright.sync_api import sync_playwright

    width, height = SIZES[request.param]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.add_init_script(COLLECT_VIOLATIONS)
        page.errors = []
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.size_name = request.param
        yield page
        browser.close()


def shoot(tab, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{tab.size_name}.png"
    tab.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def active_href(tab):
    return tab.evaluate("document.activeElement && document.activeElement.getAttribute('href')")


def test_keyboard_reaches_a_province_then_its_record(tab, live_server, site):
    tab.goto(live_server.url + "/map/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator(".map-province").count() == 34
    assert tab.get_by_text("Lễ kín của dòng họ").count() == 0
    shoot(tab, "map-vi")

    for _ in range(80):  # Tab through the header to the province's shape
        tab.keyboard.press("Tab")
        if active_href(tab) == "#p-lao-cai":
            break
    else:
        pytest.fail("Tab never reached Lào Cai on the map")
    tab.keyboard.press("Enter")

    panel = tab.locator("#map-panel")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "Lào Cai"
    assert tab.evaluate("document.activeElement.id") == "map-panel-heading"
    assert panel.locator(".map-records a").all_inner_texts() == [
        "Lễ hội Gầu Tào",
        "Lễ hội Roóng Poọc",
    ]
    shoot(tab, "map-vi-province-open")

    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Lễ hội Gầu Tào"
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == live_server.url + site["record"].url
    assert tab.evaluate("window.__csp") == []
    assert tab.errors == []


def test_a_point_shows_the_records_at_that_place(tab, live_server, site):
    tab.goto(live_server.url + "/map/")
    assert tab.locator(".map-point").count() == 3
    tab.locator(".map-point").first.focus()
    tab.keyboard.press("Enter")
    panel = tab.locator("#map-panel")
    assert panel.locator("h2").inner_text() == "Hồ sơ tại địa điểm này"
    assert panel.locator(".map-records a").count() == 1
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(tab, "map-vi-point-open")
    assert tab.evaluate("window.__csp") == []


def test_a_record_links_to_its_province_on_the_map(tab, live_server, site):
    tab.goto(live_server.url + site["record"].url)
    assert tab.get_by_text("22.61, 104.12").is_visible()
    tab.get_by_role("link", name="Xem trên bản đồ").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/map/#p-lao-cai")
    assert tab.locator("#map-panel h2").inner_text() == "Lào Cai"


def test_provinces_page(tab, live_server, site):
    tab.goto(live_server.url + "/")
    tab.locator(".site-nav").get_by_role("link", name="Tỉnh, thành phố").click()
    tab.wait_for_load_state()
    assert tab.url == live_server.url + "/provinces/"
    assert tab.locator(".province-list li").count() == 34
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(tab, "provinces-vi")
    tab.goto(live_server.url + "/en/provinces/")
    shoot(tab, "provinces-en")


def test_map_and_provinces_pages_pass_axe(tab, live_server, site):
    for path in ["/map/", "/en/map/", "/provinces/"]:
        tab.goto(live_server.url + path)
        if path == "/map/":  # the panel open too
            tab.locator("a.map-province[href='#p-lao-cai']").click()
        assert run_axe(tab) == [], path
