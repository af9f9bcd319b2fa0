"""The Lào Cai editor translates a record in Chromium, in Vietnamese; its shared facts follow.

The editor sees which language each editor page is in, clicks "Dịch", and
on the new English page finds the title, summary and body marked as still
Vietnamese and the shared facts read-only, with a link to the Vietnamese
page. The reviewer then publishes the Vietnamese page with another commune:
the editor's English draft shows it, without anyone typing it twice, and
keeps the English "recorded by" the editor typed, which the English page
shows once the reviewer publishes it.
"""

from wagtail.models import Locale

from heritage.models import FestivalPage
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.test_record_create_in_browser import log_in
from tests.browser.watch import problems_of
from tests.factories import make_record, team_member
from tests.heritage.test_admin_translation import english_leftovers

TITLE = "Lễ hội Gầu Tào"
RECORDED_BY_VI = "Nhóm khảo sát điền dã tỉnh"
RECORDED_BY_EN = "Provincial field-survey team"


def leftovers(page):
    return english_leftovers(" ".join(page.locator("body").inner_text().split()))


def test_editor_translates_and_the_shared_facts_follow_the_vietnamese(live_server, archive):
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    team_member(team, "reviewers", "lc-reviewer")
    record = make_record(
        TITLE,
        groups=["H'Mông"],
        province="Lào Cai",
        locality="Xã Bản Lầu",
        recorded_by=RECORDED_BY_VI,
        summary="Lễ hội cầu phúc đầu xuân.",
    )
    vi_edit = f"{live_server.url}/admin/pages/{record.pk}/edit/"
    from playwright.sync_api import expect, sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        editor = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        page = editor.new_page()
        errors = problems_of(page)
        page.on("console", lambda m: m.type == "error" and print("CSPURL", page.url, m.location))
        log_in(page, live_server.url, "lc-editor")
        page.goto(vi_edit)
        header = page.locator("header")
        expect(header.locator("[data-editing-language]")).to_have_text("Bản tiếng Việt")
        assert leftovers(page) == []
        page.screenshot(path=OUT_DIR / "admin-translate-vietnamese-record-desktop.png")
        header.locator("#w-slim-header-buttons").get_by_role("button").click()
        header.get_by_role("link", name="Dịch").click()
        page.wait_for_load_state()
        assert leftovers(page) == []
        page.screenshot(path=OUT_DIR / "admin-translate-choose-vi-desktop.png")
        page.get_by_label("Tiếng Anh", exact=True).check()
        page.locator("main").get_by_role("button", name="Gửi").click()
        page.wait_for_load_state()

        english = FestivalPage.objects.get(
            translation_key=record.translation_key, locale__language_code="en"
        )
        assert page.url.endswith(f"/admin/pages/{english.pk}/edit/")
        expect(header.locator("[data-editing-language]")).to_have_text("Bản tiếng Anh")
        note = page.locator("[data-shared-facts-note]")
        expect(note).to_contain_text("giữ đồng bộ với bản tiếng Việt")
        expect(note.get_by_role("link")).to_have_attribute(
            "href", f"/admin/pages/{record.pk}/edit/"
        )
        expect(page.locator("[data-untranslated-note]")).to_contain_text("Tiêu đề")
        rewrite = page.get_by_text("Cần viết lại bằng tiếng Anh")
        # (No body here: Draftail's editor sets inline styles the admin CSP refuses.)
        expect(rewrite).to_have_count(2)
        expect(page.locator("#id_locality")).to_be_disabled()
        expect(page.locator("#id_locality")).to_have_value("Xã Bản Lầu")
        expect(page.get_by_label("H'Mông", exact=True)).to_be_disabled()
        assert leftovers(page) == []
        page.screenshot(path=OUT_DIR / "admin-translate-english-draft-desktop.png")
        page.locator("#id_title").fill("Gau Tao Festival")
        recorded_by = page.locator("#id_recorded_by")
        expect(recorded_by).to_be_enabled()
        expect(recorded_by).to_have_value(RECORDED_BY_VI)
        recorded_by.fill(RECORDED_BY_EN)
        autosave = page.locator("#w-autosave-indicator")
        expect(autosave).not_to_have_attribute(
            "data-w-autosave-state-value", "saving", timeout=30_000
        )
        page.locator("footer").get_by_role("button", name="Lưu nháp").click()
        page.wait_for_load_state()
        expect(page.locator(".messages .success")).to_be_visible()
        expect(page.get_by_text("Cần viết lại bằng tiếng Anh")).to_have_count(1)

        reviewer = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        review_page = reviewer.new_page()
        errors += problems_of(review_page)
        log_in(review_page, live_server.url, "lc-reviewer")
        review_page.goto(vi_edit)
        expect(review_page.locator("#id_locality")).to_be_enabled()
        review_page.locator("#id_locality").fill("Xã Bản Phố")
        footer = review_page.locator("footer")
        publish = footer.get_by_role("button", name="Xuất bản", exact=True)
        if not publish.is_visible():
            footer.get_by_role("button", name="Thao tác khác").click()
        publish.click()
        review_page.wait_for_load_state()
        expect(review_page.locator(".messages .success")).to_be_visible()

        page.reload()
        expect(page.locator("#id_locality")).to_have_value("Xã Bản Phố")
        expect(page.locator("#id_title")).to_have_value("Gau Tao Festival")
        expect(page.locator("#id_recorded_by")).to_have_value(RECORDED_BY_EN)
        page.screenshot(path=OUT_DIR / "admin-translate-english-synced-desktop.png")

        review_page.goto(f"{live_server.url}/admin/pages/{english.pk}/edit/")
        footer = review_page.locator("footer")
        if not publish.is_visible():
            footer.get_by_role("button", name="Thao tác khác").click()
        publish.click()
        review_page.wait_for_load_state()
        expect(review_page.locator(".messages .success")).to_be_visible()
        english.refresh_from_db()
        review_page.goto(f"{live_server.url}{english.url}")
        about = review_page.locator("section.about")
        expect(about.locator("dt", has_text="Recorded by").locator("+ dd")).to_have_text(
            RECORDED_BY_EN
        )
        expect(about).not_to_contain_text(RECORDED_BY_VI)
        about.screenshot(path=OUT_DIR / "record-english-recorded-by-desktop.png")
        review_page.goto(f"{live_server.url}{record.url}")
        expect(review_page.locator("section.about")).to_contain_text(RECORDED_BY_VI)
        reviewer.close()
        browser.close()
    assert errors == [], "\n".join(errors)
    english.refresh_from_db()
    assert english.live and english.locality == "Xã Bản Phố"
    assert english.recorded_by == RECORDED_BY_EN
    assert Locale.objects.get(language_code="en") == english.locale
