"""The officer's whole journey in Chromium, in Vietnamese, counted and timed (issue 10).

The Lào Cai editor logs in through the form, creates a festival record under
the province's section (title, one ethnic group found with the filter box,
their team's photo from the media chooser), saves it, translates it into
English, writes the English title and summary and submits both languages in
one action. The Lào Cai reviewer logs in, approves the record from the
dashboard and follows "Xem trang" to the live page, then switches it to
English.

Every admin page it opens must be free of script errors, failed requests,
autosave errors and the English labels the translation test keeps. Each step
is shot at 1366x800 under ``var/screenshots/journey/``; the clicks, key
entries and seconds from login to the live page are printed and written to
``figures.json`` there.
"""

import json
import time

from wagtail.models import Locale, Page

from heritage.models import FestivalPage
from media_pipeline.ingest import ingest_file
from tests.browser.admin import autosave_errors, wait_until_form_watched, watch_forms
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text
from tests.media_pipeline.helpers import jpeg_with_exif

JOURNEY_DIR = OUT_DIR / "journey"
# How long a step may take on a loaded machine before the test gives up (not a measure).
WAIT = 90_000
TITLE = "Lễ hội Gầu Tào Sín Chéng"
SUMMARY = "Lễ hội cầu phúc của người H'Mông vào tháng Giêng."
TITLE_EN = "Gau Tao festival of Sin Cheng"
SUMMARY_EN = "The H'Mong prayer for good fortune in the first lunar month."


class Officer:
    """The person at the keyboard: every click and every key entry is counted."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.key_entries = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def check(self, locator):
        self.clicks += 1
        locator.check()

    def type(self, locator, text):
        """One key entry: the officer types ``text`` into a field, key by key."""
        self.key_entries += 1
        locator.press_sequentially(text)

    def go_to(self, url):
        """Typing an address (the admin's, to start the day) counts as a key entry."""
        self.key_entries += 1
        self.page.goto(url)

    def log_in(self, base_url, username):
        self.go_to(base_url + "/admin/login/")
        self.type(self.page.get_by_label("Tên đăng nhập"), username)
        self.type(self.page.get_by_label("Mật khẩu"), "x")
        self.click(self.page.get_by_role("button", name="Đăng nhập"))
        self.page.wait_for_load_state()


class Journey:
    """Screenshots of each step, and what the officer should never meet on the admin pages."""

    def __init__(self, page):
        self.page = page
        self.steps = 0
        self.problems = problems_of(page)

    def step(self, name):
        self.page.wait_for_load_state()
        self.steps += 1
        JOURNEY_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=JOURNEY_DIR / f"{self.steps:02d}-{name}.png")
        if "/admin/" not in self.page.url:
            return
        english = english_leftovers(visible_text(self.page.content()))
        if english:
            self.problems.append(f"{name}: English on the page: {english}")
        errors = autosave_errors(self.page)
        if errors:
            self.problems.append(f"{name}: autosave errors: {errors}")
        paused = self.page.locator("#w-autosave-indicator[data-w-autosave-state-value=paused]")
        if paused.count():
            self.problems.append(f"{name}: autosave paused")

    def wait_until_autosaved(self):
        from playwright.sync_api import expect

        indicator = self.page.locator("#w-autosave-indicator")
        expect(indicator).to_have_attribute("data-w-autosave-state-value", "saved", timeout=WAIT)


def test_editor_creates_translates_and_submits_a_record_the_reviewer_publishes_it(
    live_server, archive, tmp_path, settings
):
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    team_member(team, "reviewers", "lc-reviewer")
    photo = ingest_file(
        jpeg_with_exif(tmp_path / "gau_tao-sin-cheng.jpg"), collection=team.collection
    ).asset
    photo.refresh_from_db()
    assert photo.state == "ready", photo.error
    base = live_server.url
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        watch_forms(context)
        page = context.new_page()
        officer = Officer(page)
        journey = Journey(page)
        started = time.monotonic()

        # The editor: from the dashboard to the province's section, a new festival.
        officer.log_in(base, "lc-editor")
        journey.step("editor-dashboard")
        officer.click(page.get_by_role("button", name="Trang"))
        officer.click(page.locator(".c-page-explorer").get_by_role("link", name="Lào Cai").first)
        journey.step("province-section")
        officer.click(page.get_by_role("link", name="Thêm trang con").first)
        journey.step("choose-record-type")
        officer.click(page.get_by_role("link", name="Lễ hội", exact=True))
        journey.step("new-record")
        wait_until_form_watched(page)
        officer.type(page.get_by_role("textbox", name="Tiêu đề"), TITLE)
        officer.type(page.get_by_label("Lọc dân tộc"), "meo")
        officer.check(page.get_by_label("H'Mông", exact=True))
        officer.type(page.get_by_role("textbox", name="Tóm tắt"), SUMMARY)
        journey.wait_until_autosaved()
        journey.step("record-typed-and-autosaved")

        # Their team's photo, from the media chooser.
        officer.click(page.get_by_role("button", name="Thêm Tư liệu"))
        officer.click(page.get_by_role("button", name="Chọn mục tư liệu", exact=True).first)
        modal = page.locator(".modal-dialog")
        expect(modal.get_by_role("link", name="gau tao sin cheng")).to_be_visible(timeout=WAIT)
        journey.step("media-chooser")
        officer.click(modal.get_by_role("link", name="gau tao sin cheng"))
        expect(modal).to_have_count(0, timeout=WAIT)
        journey.wait_until_autosaved()
        officer.click(page.get_by_role("button", name="Lưu nháp"))
        expect(page.locator(".messages .success")).to_contain_text(TITLE, timeout=WAIT)
        journey.step("record-saved")

        # Translated into English with simple_translation's action.
        officer.click(page.get_by_role("button", name="Thao tác", exact=False).first)
        officer.click(page.get_by_role("link", name="Dịch", exact=True))
        journey.step("translate-form")
        officer.check(page.get_by_label("Tiếng Anh"))
        officer.click(page.get_by_role("button", name="Gửi", exact=False).first)
        journey.step("english-record")
        wait_until_form_watched(page)
        title_en = page.get_by_role("textbox", name="Tiêu đề")
        title_en.fill("")
        officer.type(title_en, TITLE_EN)
        summary_en = page.get_by_role("textbox", name="Tóm tắt")
        summary_en.fill("")
        officer.type(summary_en, SUMMARY_EN)
        journey.wait_until_autosaved()
        journey.step("english-typed")

        # Both languages to review, in one action.
        officer.click(page.locator("footer").get_by_role("button", name="Thao tác khác"))
        officer.click(page.get_by_role("button", name="Gửi duyệt cả hai ngôn ngữ"))
        expect(page.locator(".messages .success").first).to_be_visible(timeout=WAIT)
        journey.step("both-submitted")

        officer.click(page.get_by_role("button", name="lc-editor"))
        officer.click(page.get_by_role("button", name="Đăng xuất"))
        journey.step("logged-out")

        # The reviewer: from the dashboard to the live page, in both languages.
        officer.log_in(base, "lc-reviewer")
        journey.step("reviewer-dashboard")
        awaiting = page.get_by_role("region", name="Hồ sơ chờ bạn duyệt")
        expect(awaiting).to_contain_text(TITLE_EN, timeout=WAIT)
        # The record is listed once, under the title of the language submitted
        # first; the reviewer opens its Vietnamese version from its badge.
        officer.click(awaiting.get_by_text("Tiếng Việt", exact=True))
        journey.step("record-to-review")
        approve = page.locator("footer").get_by_role("button", name="Phê duyệt và xuất bản")
        if not approve.is_visible():
            officer.click(page.locator("footer").get_by_role("button", name="Thao tác khác"))
        officer.click(approve)
        message = page.locator(".messages .success").filter(has_text="Đã duyệt và xuất bản")
        expect(message).to_be_visible(timeout=WAIT)
        journey.step("approved")
        officer.click(message.get_by_role("link", name="Xem trang"))
        expect(page.locator("h1")).to_contain_text(TITLE, timeout=WAIT)
        seconds = time.monotonic() - started
        journey.step("live-vi")
        officer.click(page.locator(".lang-switch a[hreflang=en]"))
        expect(page.locator("h1")).to_contain_text(TITLE_EN, timeout=WAIT)
        journey.step("live-en")
        browser.close()

    figures = {
        "clicks": officer.clicks,
        "key_entries": officer.key_entries,
        "seconds_login_to_live": round(seconds, 1),
        "screenshots": str(JOURNEY_DIR),
        "problems": journey.problems,
    }
    (JOURNEY_DIR / "figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nofficer journey: {json.dumps(figures)}")
    assert journey.problems == [], "\n".join(journey.problems)
    record = FestivalPage.objects.get(locale__language_code="vi", title=TITLE)
    english = record.get_translation(Locale.objects.get(language_code="en"))
    assert record.live and english.live
    assert english.title == TITLE_EN
    assert [link.asset_id for link in record.media_links.all()] == [photo.pk]
    assert Page.objects.filter(title=TITLE).count() == 1
