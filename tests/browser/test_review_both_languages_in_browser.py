"""A Lào Cai editor submits a record in both languages at once; the reviewer approves it once.

In Chromium, in Vietnamese: the editor clicks "Gửi duyệt cả hai ngôn ngữ" in
the edit page's action menu; the reviewer approves the Vietnamese record
from its edit page, reads which languages went live and follows the link.
Both languages are then on the public site.
"""

from wagtail.models import Locale

from heritage.models import FestivalPage
from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import make_record, team_member

TITLE = "Lễ hội Gầu Tào"


def open_action_menu(page):
    page.locator("footer").get_by_role("button", name="Thao tác khác").click()


def test_editor_submits_both_languages_and_reviewer_approves_once(live_server, archive):
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    team_member(team, "reviewers", "lc-reviewer")
    record = make_record(TITLE, groups=["H'Mông"], province="Lào Cai", publish=False)
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Gau Tao Festival"
    english.save_revision()
    edit_url = f"{live_server.url}/admin/pages/{record.pk}/edit/"
    from playwright.sync_api import expect, sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        editor = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        page = editor.new_page()
        editor_errors = problems_of(page)
        log_in(page, live_server.url, "lc-editor")
        page.goto(edit_url)
        open_action_menu(page)
        footer = page.locator("footer")
        expect(footer.get_by_role("button", name="Gửi duyệt cả hai ngôn ngữ")).to_be_visible()
        expect(footer.get_by_role("button", name="Xuất bản", exact=True)).to_have_count(0)
        page.screenshot(path=OUT_DIR / "admin-review-submit-both-vi-desktop.png")
        footer.get_by_role("button", name="Gửi duyệt cả hai ngôn ngữ").click()
        page.wait_for_load_state()
        submitted = page.locator(".messages .success")
        expect(submitted).to_have_count(1)
        expect(submitted).to_contain_text(
            f"«{TITLE}» và bản dịch «Gau Tao Festival» đã được gửi duyệt"
        )
        page.screenshot(path=OUT_DIR / "admin-review-submitted-both-vi-desktop.png")
        editor.close()

        reviewer = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        page = reviewer.new_page()
        reviewer_errors = problems_of(page)
        log_in(page, live_server.url, "lc-reviewer")
        page.goto(edit_url)
        approve = page.locator("footer").get_by_role("button", name="Phê duyệt và xuất bản")
        if not approve.is_visible():
            open_action_menu(page)
        approve.click()
        page.wait_for_load_state()
        expect(page.locator(".messages .success")).to_have_count(1)
        message = page.locator(".messages .success").filter(has_text="Đã duyệt và xuất bản")
        expect(message).to_contain_text(f"«{TITLE}» (cả tiếng Việt và tiếng Anh)")
        page.screenshot(path=OUT_DIR / "admin-review-approved-vi-desktop.png")
        message.get_by_role("link", name="Xem trang").click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_contain_text(TITLE)
        page.goto(live_server.url + FestivalPage.objects.get(pk=english.pk).url)
        expect(page.locator("h1")).to_contain_text("Gau Tao Festival")
        page.screenshot(path=OUT_DIR / "public-review-approved-en-desktop.png")
        browser.close()
    assert editor_errors == reviewer_errors == []
