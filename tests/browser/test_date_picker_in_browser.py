"""The record's date picker, opened in Chromium at 1366x800, leaves the save button clickable.

The field is where the officer scrolls it into view; the picker opens below it.
"""

from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import make_record, team_member


def test_recorded_on_picker_leaves_the_save_button_clickable(live_server, archive):
    team_member(archive["Lào Cai"], "editors", "lc-editor")
    record = make_record("Lễ hội Gầu Tào", groups=["H'Mông"], province="Lào Cai", publish=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        errors = problems_of(page)
        log_in(page, live_server.url, "lc-editor")
        page.goto(f"{live_server.url}/admin/pages/{record.pk}/edit/")
        field = page.locator("#id_recorded_on")
        field.scroll_into_view_if_needed()
        field.click()
        picker = page.locator(".xdsoft_datetimepicker:visible")
        picker.wait_for()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT_DIR / "admin-record-date-picker-vi-desktop.png")
        save = page.locator("footer").get_by_role("button", name="Lưu nháp")
        on_top = save.evaluate(
            """(button) => {
              const box = button.getBoundingClientRect();
              const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
              return button.contains(hit);
            }"""
        )
        assert on_top
        browser.close()
    assert errors == []
