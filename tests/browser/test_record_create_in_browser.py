"""A province editor creates a festival record in the admin, in Chromium, in Vietnamese.

The officer types only what a newcomer would: the title and one ethnic
group, on the first tab. The slug comes from the title as they type, the
province from the section they create the record under.
"""

from wagtail.models import Locale

from heritage.curation import section_for
from heritage.models import FestivalPage
from tests.browser.admin import log_in
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import team_member

TITLE = "Lễ hội Gầu Tào Đồng Văn"


def test_editor_saves_a_new_record_the_first_time(live_server, archive):
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    section = section_for(team.province, Locale.objects.get(language_code="vi"))
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        errors = problems_of(page)
        log_in(page, live_server.url, "lc-editor")
        page.goto(f"{live_server.url}/admin/pages/add/heritage/festivalpage/{section.pk}/")
        page.locator("#id_title").press_sequentially(TITLE)
        page.keyboard.press("Tab")
        # Wagtail fills the slug from the title on the (hidden) promote tab.
        expect(page.locator("#id_slug")).to_have_value("le-hoi-gau-tao-dong-van")
        # The province chooser starts at the section's province.
        assert page.input_value("#id_province_as_recorded") == str(team.province.pk)
        expect(page.locator("#id_province_as_recorded-title")).to_have_text(str(team.province))
        # The groups are in dictionary order (Hà Nhì before Hoa before Hrê),
        # and the box above them finds a group by another name, unaccented.
        labels = page.locator("#id_ethnic_groups label").all_inner_texts()
        names = [label.strip() for label in labels]
        assert names.index("Hà Nhì") < names.index("Hoa") < names.index("Hrê")
        assert names.index("Ê Đê") < names.index("Gia Rai")
        page.get_by_label("Lọc dân tộc").fill("meo")
        visible = page.locator("#id_ethnic_groups label:visible").all_inner_texts()
        assert [label.strip() for label in visible] == ["H'Mông"]
        page.get_by_label("H'Mông", exact=True).check()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT_DIR / "admin-record-create-vi-desktop.png", full_page=False)
        # Saving while an autosave of a new page is still in flight makes
        # Wagtail create the page twice (the second fails on its slug): the
        # officer saves once the indicator no longer says "saving".
        autosave = page.locator("#w-autosave-indicator")
        expect(autosave).not_to_have_attribute(
            "data-w-autosave-state-value", "saving", timeout=30_000
        )
        page.get_by_role("button", name="Lưu nháp").click()
        page.wait_for_load_state()
        expect(page.locator(".messages .success")).to_contain_text(TITLE)
        browser.close()
    assert errors == []
    record = FestivalPage.objects.get(title=TITLE)
    assert record.slug == "le-hoi-gau-tao-dong-van"
    assert record.province_as_recorded == team.province
    assert record.get_parent().pk == section.pk
    assert [g.name_vi for g in record.ethnic_groups.all()] == ["H'Mông"]
