"""A province officer reads their coverage report in Chromium, in Vietnamese, and downloads it.

They sign in through the form, open the report from the Reports menu, see
which ethnic groups their province has no record of yet, and take the
figures away as a workbook.
"""

import openpyxl

from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR
from tests.factories import make_record, team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text

SHOTS = OUT_DIR / "reports"
# The report's own English, which must not be left on the Vietnamese page.
REPORT_LABELS = ["Coverage report", "Records per ethnic group", "Hours of video", "Download"]


def _english_on(page):
    text = visible_text(page.content())
    return english_leftovers(text) + [label for label in REPORT_LABELS if label in text]


def test_officer_opens_their_gaps_from_the_menu_and_downloads_them(
    live_server, archive, browser, tmp_path
):
    team_member(archive["Lào Cai"], "editors", "lc-editor")
    make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",))
    make_record("Tết Nhảy", province="Lào Cai", groups=("Dao",))
    make_record("Lễ hội Lồng Tồng", province="Tuyên Quang", groups=("Tày",))
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    log_in(page, live_server.url, "lc-editor")
    page.get_by_role("button", name="Báo cáo").click()
    page.get_by_role("link", name="Báo cáo độ phủ").click()
    page.wait_for_url("**/admin/coverage/")
    expect(page.get_by_role("heading", name="Báo cáo độ phủ: Lào Cai")).to_be_visible()
    expect(page.locator("[data-figure=groups-without-records]")).to_have_text(
        "52 dân tộc chưa có hồ sơ nào."
    )
    groups = page.locator(".coverage-report__groups")
    expect(groups.locator("tr.coverage-report__gap", has_text="Tày")).to_be_visible()
    expect(groups.locator("tr", has_text="H'Mông")).not_to_have_class("coverage-report__gap")
    expect(page.locator(".coverage-report__provinces")).not_to_contain_text("Tuyên Quang")
    assert _english_on(page) == []
    page.screenshot(path=SHOTS / "coverage-report-vi-desktop.png", full_page=False)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải xuống (XLSX)").click()
    workbook_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(workbook_path)
    assert workbook_path.name == "coverage-lao-cai.xlsx"
    summary = dict(openpyxl.load_workbook(workbook_path)["Tóm tắt"].iter_rows(values_only=True))
    assert summary["Hồ sơ"] == 2

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.get_by_role("heading", name="Báo cáo độ phủ: Lào Cai")).to_be_visible()
    page.screenshot(path=SHOTS / "coverage-report-vi-phone.png")
    context.close()
