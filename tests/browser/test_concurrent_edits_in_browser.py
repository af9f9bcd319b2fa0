"""Two officers edit one record in two browsers: the second save is refused, and says why."""

import pytest

from heritage.curation import set_up_archive
from heritage.models import FestivalPage, Province
from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.factories import ensure_reference_data, make_record, team_member


@pytest.fixture
def team():
    ensure_reference_data()
    (team,) = set_up_archive(provinces=Province.objects.filter(name_vi="Lạng Sơn"))
    return team


def officer(team, username, full_name):
    user = team_member(team, "editors", username)
    user.first_name, user.last_name = full_name.split(" ", 1)
    user.save()
    return user


def logged_in_tab(browser, live_server, username):
    tab = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(tab, live_server.url, username)
    return tab


# The admin is slow on a loaded machine.
WAIT_MS = 20_000


def save_draft(tab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with tab.expect_navigation(timeout=3 * WAIT_MS):
        tab.get_by_role("button", name="Lưu nháp").first.click()
        # When Wagtail's editing-session ping has already seen the other
        # officer's save, it asks first ("Tiếp tục"); the officer goes on.
        try:
            tab.locator("#w-save-confirmation-dialog [data-w-dialog-target=confirm]").click(
                timeout=5_000
            )
        except PlaywrightTimeout:
            pass


def test_the_second_officer_sees_who_saved_first_and_what_changed(live_server, team):
    from playwright.sync_api import expect, sync_playwright

    officer(team, "lan", "Nguyễn Lan")
    officer(team, "minh", "Trần Minh")
    record = make_record("Lễ hội Lồng Tồng", province="Lạng Sơn", summary="Ném còn, kéo co.")
    edit_url = f"{live_server.url}/admin/pages/{record.pk}/edit/"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        lan = logged_in_tab(browser, live_server, "lan")
        minh = logged_in_tab(browser, live_server, "minh")
        lan.goto(edit_url)
        minh.goto(edit_url)

        lan.fill("#id_title", "Lồng Tồng xuống đồng")
        save_draft(lan)
        expect(lan.locator(".messages")).not_to_contain_text("sau khi bạn mở", timeout=WAIT_MS)

        minh.fill("#id_summary", "Hội xuống đồng đầu xuân, ném còn và kéo co.")
        save_draft(minh)
        message = minh.locator(".messages")
        expect(message).to_contain_text("đã được Nguyễn Lan lưu lúc", timeout=WAIT_MS)
        expect(message).to_contain_text("Các trường đã thay đổi: Tiêu đề.", timeout=WAIT_MS)
        # What Minh typed is still in the form, to copy.
        expect(minh.locator("#id_summary")).to_have_value(
            "Hội xuống đồng đầu xuân, ném còn và kéo co.", timeout=WAIT_MS
        )
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        minh.screenshot(path=str(OUT_DIR / "concurrent-edit-refused.png"))
        browser.close()

    draft = FestivalPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert (draft.title, draft.summary) == ("Lồng Tồng xuống đồng", "Ném còn, kéo co.")
