"""A province editor's first look at the admin, in Chromium, in Vietnamese.

The dashboard counts their province's records and their team's media; the
"Trang" menu opens at their province, not at the tree's root.
"""

from wagtail.models import Locale

from heritage.curation import section_for
from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import make_record, team_asset, team_member


def test_editor_sees_their_province_on_the_dashboard_and_in_pages(live_server, archive, tiny):
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    section = section_for(team.province, Locale.objects.get(language_code="vi"))
    make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",))
    make_record("Tết Nhảy", province="Lào Cai", groups=("Dao",), publish=False)
    make_record("Lễ hội Lồng Tồng", province="Tuyên Quang")
    team_asset(team, tiny["wav"], "Tiếng khèn")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        errors = problems_of(page)
        log_in(page, live_server.url, "lc-editor")
        summary = page.locator(".w-summary")
        expect(summary).to_contain_text("2 hồ sơ ở Lào Cai")
        expect(summary).to_contain_text("1 mục tư liệu")
        expect(page).to_have_title("Bảng điều khiển - Kho lưu trữ lễ hội và phong tục Việt Nam")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT_DIR / "admin-officer-dashboard-vi-desktop.png")

        page.get_by_role("button", name="Trang").click()
        explorer = page.locator(".c-page-explorer")
        expect(explorer).to_contain_text("Lào Cai")
        expect(explorer).to_contain_text("Lễ Gầu Tào")
        expect(explorer).not_to_contain_text("Tuyên Quang")
        page.screenshot(path=OUT_DIR / "admin-officer-pages-menu-vi-desktop.png")

        explorer.get_by_role("link", name="Lào Cai").first.click()
        page.wait_for_url(f"**/admin/pages/{section.pk}/")
        expect(page.locator("main")).to_contain_text("Tết Nhảy")
        page.screenshot(path=OUT_DIR / "admin-officer-province-pages-vi-desktop.png")
        browser.close()
    assert errors == []
