"""Public pages in headless Chromium at phone and desktop sizes.

No horizontal overflow, no console errors, no request to another host.
"""

from urllib.parse import urlsplit

import pytest
from wagtail.models import Locale

from heritage.curation import set_up_archive
from heritage.models import Province
from tests.browser.screenshots import SIZES
from tests.factories import ensure_reference_data, make_record


@pytest.fixture
def site():
    ensure_reference_data()
    set_up_archive(provinces=Province.objects.filter(name_vi__in=["Lạng Sơn", "Gia Lai"]))
    record = make_record(
        "Lễ hội Lồng Tồng",
        province="Lạng Sơn",
        native_name="Lồng Tồng",
        lunar_month=1,
        lunar_day=8,
        summary="Lễ hội xuống đồng đầu xuân của người Tày.",
    )
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Lồng Tồng Festival"
    english.slug = "long-tong-festival"
    english.summary = "The Tày spring festival of going down to the fields."
    english.save_revision().publish()
    sensitive = make_record(
        "Lễ bỏ mả",
        kind="custom",
        groups=("Gia Rai",),
        province="Gia Lai",
        summary="Nội dung sau cảnh báo.",
        sensitivity_warning="Có hình ảnh mộ và tang lễ.",
    )
    return {"record": record, "sensitive": sensitive}


@pytest.fixture(params=list(SIZES))
def tab(request, browser, live_server):
    """A page at one viewport that records console errors and every request's host."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.hosts = set()
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda req: page.hosts.add(urlsplit(req.url).netloc))
    yield page
    context.close()


def check_page(tab, live_server):
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert tab.errors == []
    assert tab.hosts <= {urlsplit(live_server.url).netloc}


def test_home_page(tab, live_server, site):
    tab.goto(live_server.url + "/")
    assert tab.locator("h1").inner_text()
    assert tab.locator(".card-title", has_text="Lễ hội Lồng Tồng").count() == 1
    check_page(tab, live_server)


def test_language_switch_goes_to_the_translation(tab, live_server, site):
    tab.goto(live_server.url + site["record"].url)
    tab.locator(".lang-switch a[hreflang=en]").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/en/lang-son/long-tong-festival/")
    assert tab.locator("h1").inner_text() == "Lồng Tồng Festival"
    assert "8th day of the 1st lunar month" in tab.content()
    check_page(tab, live_server)
    tab.locator(".lang-switch a[hreflang=vi]").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Lễ hội Lồng Tồng"


def test_sensitivity_acknowledgement_reveals_content(tab, live_server, site):
    tab.goto(live_server.url + site["sensitive"].url)
    assert tab.locator("#sensitivity-warning").is_visible()
    assert tab.get_by_text("Nội dung sau cảnh báo.").count() == 0
    tab.locator("#sensitivity-warning button").click()
    tab.wait_for_load_state()
    assert tab.get_by_text("Nội dung sau cảnh báo.").is_visible()
    assert tab.locator("#sensitivity-warning").count() == 0
    check_page(tab, live_server)


def test_ethnic_group_and_province_pages(tab, live_server, site):
    for path in ["/ethnic-groups/", "/ethnic-groups/tay/", site["record"].get_parent().url]:
        tab.goto(live_server.url + path)
        assert tab.locator("h1").is_visible()
        check_page(tab, live_server)
