"""A province editor imports a survey sheet in Chromium, in Vietnamese, and sends it to review.

The editor downloads the XLSX template, fills it with three rows (one names
an ethnic group that does not exist), uploads it, watches the run wait for
the worker, reads the report and sends the two new drafts to review.
"""

from openpyxl import load_workbook
from wagtail.models import Page

from heritage.models import ImportRun
from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import team_member
from tests.heritage.importgen import make_rows, write_xlsx
from tests.heritage.test_admin_translation import english_leftovers, visible_text


def test_editor_imports_a_sheet_with_a_bad_row_and_sends_the_drafts_to_review(
    live_server, archive, task_queue, tmp_path
):
    team_member(archive["Lào Cai"], "editors", "lc-editor")
    from playwright.sync_api import expect, sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(
            viewport={"width": 1366, "height": 800}, locale="vi-VN", accept_downloads=True
        )
        errors = problems_of(page)
        english = []
        log_in(page, live_server.url, "lc-editor")
        page.goto(f"{live_server.url}/admin/import-records/")
        page.screenshot(path=OUT_DIR / "admin-import-form-vi-desktop.png")
        english += english_leftovers(visible_text(page.content()))

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Tải tệp mẫu (XLSX)").click()
        template = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(template)
        workbook = load_workbook(template)
        assert workbook.sheetnames[1] == "Hướng dẫn"
        header = [cell.value for cell in workbook.worksheets[0][1]]

        rows = make_rows(3, ["Lào Cai"])
        rows[1]["ethnic_groups"] = "Người Sao Hỏa"
        sheet = write_xlsx(tmp_path / "khao-sat-lao-cai.xlsx", rows, columns=header)
        page.set_input_files("#id_file", sheet)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

        # Nothing runs the queue yet: the run waits, and its page says so and refreshes.
        expect(page.locator("#import-status")).to_have_text("Đang chờ")
        expect(page.locator("#import-progress")).to_be_visible()
        page.screenshot(path=OUT_DIR / "admin-import-waiting-vi-desktop.png")
        english += english_leftovers(visible_text(page.content()))
        task_queue.run_until_empty()
        expect(page.locator("#import-counts")).to_be_visible(timeout=10_000)

        bad_row = page.locator("#import-errors tbody tr")
        expect(bad_row).to_have_count(1)
        expect(bad_row).to_contain_text("Dân tộc")
        expect(bad_row).to_contain_text("Người Sao Hỏa")
        links = page.locator("#import-records tbody a")
        expect(links).to_have_count(2)
        created = Page.objects.filter(
            recordpage__record_id__in=[rows[0]["record_id"], rows[2]["record_id"]],
            locale__language_code="vi",
        )
        hrefs = {f"/admin/pages/{pk}/edit/" for pk in created.values_list("pk", flat=True)}
        assert {links.nth(i).get_attribute("href") for i in range(2)} == hrefs
        page.screenshot(path=OUT_DIR / "admin-import-report-vi-desktop.png", full_page=True)
        english += english_leftovers(visible_text(page.content()))

        page.get_by_role("button", name="Gửi duyệt tất cả bản nháp đã nhập").click()
        page.wait_for_load_state()
        expect(page.locator(".messages")).to_contain_text("Đã gửi duyệt 2 hồ sơ. Kèm 2 bản dịch.")
        expect(page.locator("#import-records tbody")).to_contain_text("đang chờ duyệt")
        page.screenshot(path=OUT_DIR / "admin-import-sent-vi-desktop.png", full_page=True)
        english += english_leftovers(visible_text(page.content()))
        browser.close()
    assert errors == []
    assert english == []
    assert ImportRun.objects.get().failed_count == 1
    assert all(record.workflow_in_progress for record in created)
