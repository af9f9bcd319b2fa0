"""The festival calendar in headless Chromium, on a phone and a desktop, by keyboard.

Screenshots go to var/screenshots/calendar/ (printed), for a person to look at.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from heritage.access import Access
from heritage.curation import set_up_archive
from heritage.models import FestivalEdition, Province
from heritage.models.records import TimingKind
from tests.browser.screenshots import OUT_DIR
from tests.factories import ensure_reference_data, make_record

SIZES = {"phone": (360, 740), "desktop": (1366, 800)}
SHOTS = OUT_DIR / "calendar"
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def festivals():
    ensure_reference_data()
    set_up_archive(provinces=Province.objects.filter(name_vi__in=["Lạng Sơn", "Lào Cai"]))
    make_record("Lễ hội Lồng Tồng", province="Lạng Sơn", lunar_month=1, lunar_day=8)
    make_record("Lễ hội Nàng Hai", province="Lạng Sơn", lunar_month=1, lunar_day=15)
    make_record(
        "Lễ hội Roóng Poọc",
        groups=("Giáy",),
        province="Lào Cai",
        lunar_month=1,
        timing_kind=TimingKind.ZODIAC_DAY,
        zodiac_branch="thin",
    )
    make_record("Lễ hội Pồn Pôông của người Mường", province="Lạng Sơn", lunar_month=1)
    make_record("Lễ tiễn năm cũ", province="Lạng Sơn", lunar_month=12, lunar_day=30)
    make_record(
        "Lễ hội Gầu Tào", groups=("H'Mông",), province="Lào Cai", lunar_month=2, lunar_day=2
    )
    kate = make_record("Lễ hội Katê", province="Lạng Sơn", timing_kind=TimingKind.OTHER_CALENDAR)
    kate.editions.add(
        FestivalEdition(
            year=2026, start_date=datetime.date(2026, 3, 20), end_date=datetime.date(2026, 3, 22)
        )
    )
    kate.save_revision().publish()
    make_record(
        "Lễ cúng rừng kín",
        province="Lạng Sơn",
        lunar_month=1,
        lunar_day=9,
        access=Access.RESTRICTED,
    )


@pytest.fixture(params=list(SIZES))
def tab(request, browser, live_server):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    page.size = request.param
    page.errors, page.hosts = [], set()
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda req: page.hosts.add(urlsplit(req.url).netloc))
    yield page
    context.close()


def check_page(tab, live_server):
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert tab.evaluate("window.__csp") == []
    assert tab.errors == []
    assert tab.hosts <= {urlsplit(live_server.url).netloc}


def shoot(tab, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = Path(SHOTS, f"{name}-{tab.size}.png")
    tab.screenshot(path=str(path), full_page=True)
    print(path)


def tab_to(tab, selector, limit=60):
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user."""
    for _press in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never took the keyboard focus")


def test_month_page_and_the_next_month_by_keyboard(tab, live_server, festivals):
    tab.goto(live_server.url + "/calendar/2026/2/")
    assert tab.locator("h1").inner_text() == "Lịch lễ hội"
    assert "Tháng Chạp năm Ất Tỵ" in tab.locator(".calendar-lunar-months").inner_text()
    agenda = tab.locator(".agenda").first.inner_text()
    for title in ["Lễ hội Lồng Tồng", "Lễ tiễn năm cũ", "Lễ hội Roóng Poọc"]:
        assert title in agenda
    assert "Lễ cúng rừng kín" not in tab.content()
    assert "Thứ Hai, 16/2/2026" in agenda  # the 30th of a 29-day month: its last day
    titles_in_grid = tab.locator(".month-grid .day-events a")
    if tab.size == "desktop":
        assert titles_in_grid.first.is_visible()
    else:  # the phone shows a dot per day and the list below
        assert not titles_in_grid.first.is_visible()
        assert tab.locator(".month-grid .event-dot").first.is_visible()
    check_page(tab, live_server)
    shoot(tab, "calendar-2026-02-vi")

    tab_to(tab, "a[rel=next]")
    assert tab.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    shoot(tab, "calendar-2026-02-next-focused-vi")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/calendar/2026/3/")
    assert "Tháng 3 năm 2026" in tab.locator(".calendar-month-name").inner_text()
    march = tab.locator(".agenda").first.inner_text()
    assert "Lễ hội Nàng Hai" in march and "Rằm tháng Giêng" in march  # 3 March 2026
    assert "Lễ hội Gầu Tào" in march
    assert "Lễ hội Katê" in tab.locator(".agenda").first.inner_text()
    check_page(tab, live_server)
    shoot(tab, "calendar-2026-03-vi")


def test_month_page_in_english_and_the_home_page(tab, live_server, festivals):
    tab.goto(live_server.url + "/calendar/2026/2/")
    tab.locator(".lang-switch a[hreflang=en]").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/en/calendar/2026/2/")
    assert tab.locator("h1").inner_text() == "Festival calendar"
    assert "1st lunar month of Bính Ngọ (2026)" in tab.content()
    check_page(tab, live_server)
    shoot(tab, "calendar-2026-02-en")
    tab.goto(live_server.url + "/en/calendar/2026/12/")  # its next step names the year too
    assert "January 2027" in tab.locator("a[rel=next]").inner_text()
    check_page(tab, live_server)
    shoot(tab, "calendar-2026-12-en")
    tab.goto(live_server.url + "/")
    assert tab.locator("#lunar-month-heading").is_visible()
    check_page(tab, live_server)
    shoot(tab, "home-vi")
    tab.locator(".site-nav a", has_text="Lịch lễ hội").click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path == "/calendar/"
    check_page(tab, live_server)
