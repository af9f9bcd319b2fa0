"""The header search box on a phone, results before filters, page weight, screenshots."""

from pathlib import Path

import pytest

from heritage.curation import set_up_archive
from heritage.models import Province
from search import documents
from tests.browser.screenshots import SIZES
from tests.browser.weight import page_weight
from tests.factories import ensure_reference_data, make_record

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "site"
WEIGHT_LIMIT = 150 * 1024  # the exhibition's bar for a record page before any interaction


@pytest.fixture
def site():
    ensure_reference_data()
    set_up_archive(provinces=Province.objects.filter(name_vi__in=["Lạng Sơn", "Gia Lai"]))
    records = [
        make_record(
            "Lễ hội Lồng Tồng",
            province="Lạng Sơn",
            lunar_month=1,
            summary="Lễ hội xuống đồng đầu xuân của người Tày, có ném còn.",
        ),
        make_record(
            "Lễ hội đâm trâu",
            groups=("Ba Na",),
            province="Gia Lai",
            lunar_month=3,
            summary="Lễ hội của người Ba Na, tạ ơn thần linh, có cồng chiêng.",
        ),
        make_record("Lễ cấp sắc", kind="custom", groups=("Dao",), province="Lạng Sơn"),
    ]
    documents.rebuild()
    return records


def new_tab(browser, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


def test_header_search_box_on_a_phone_finds_and_lists_results_before_filters(
    browser, live_server, site
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, tab = new_tab(browser, "phone")
    tab.goto(live_server.url + site[0].url)
    box = tab.get_by_role("search", name="Tìm trong kho lưu trữ").get_by_role("searchbox")
    assert box.is_visible()
    assert box.bounding_box()["width"] >= 200  # a usable field on a 360 px screen
    tab.screenshot(path=SHOTS / "record-header-search-phone.png")
    box.fill("dam trau")
    box.press("Enter")
    tab.wait_for_load_state()
    assert tab.url.startswith(live_server.url + "/search/?q=")
    first_hit = tab.locator(".hit h2 a").first
    assert first_hit.inner_text() == "Lễ hội đâm trâu"
    filters = tab.locator(".facets")
    assert first_hit.bounding_box()["y"] < filters.bounding_box()["y"]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.screenshot(path=SHOTS / "search-phone.png", full_page=True)
    context.close()


def test_english_header_search_stays_in_english(browser, live_server, site):
    context, tab = new_tab(browser, "phone")
    tab.goto(live_server.url + "/en/")
    box = tab.get_by_role("search", name="Search the archive").get_by_role("searchbox")
    box.fill("buffalo")
    box.press("Enter")
    tab.wait_for_load_state()
    assert tab.url.startswith(live_server.url + "/en/search/?q=buffalo")
    context.close()


def test_desktop_search_puts_filters_beside_results_and_all_records_lists_everything(
    browser, live_server, site
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, tab = new_tab(browser, "desktop")
    tab.goto(live_server.url + "/search/")
    assert tab.locator(".hit").count() == 3
    hits, filters = tab.locator(".search-results"), tab.locator(".facets")
    assert filters.bounding_box()["x"] < hits.bounding_box()["x"]
    tab.screenshot(path=SHOTS / "search-all-desktop.png", full_page=True)
    tab.goto(live_server.url + "/search/?q=khongcogi")
    message = tab.locator(".no-results")
    assert message.bounding_box()["width"] > 600  # the main column, not a filter column
    tab.screenshot(path=SHOTS / "search-none-desktop.png")
    tab.goto(live_server.url + site[0].url)
    tab.screenshot(path=SHOTS / "record-desktop.png", full_page=True)
    tab.goto(live_server.url + "/khong-co-trang-nay/")
    tab.screenshot(path=SHOTS / "404-desktop.png")
    context.close()
    context, tab = new_tab(browser, "phone")
    tab.goto(live_server.url + "/search/?q=khongcogi")
    tab.screenshot(path=SHOTS / "search-none-phone.png", full_page=True)
    tab.goto(live_server.url + "/domains/")
    tab.screenshot(path=SHOTS / "domains-phone.png", full_page=True)
    context.close()


def test_record_page_weight_before_interaction_is_under_the_bar(browser, live_server, site):
    context, tab = new_tab(browser, "phone")
    total, sizes = page_weight(tab, live_server.url + site[0].url)
    print(f"record page weight: {total} bytes", sizes)  # noqa: T201
    assert 0 < total < WEIGHT_LIMIT
    context.close()
