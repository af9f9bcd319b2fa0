"""A province editor attaches their photo to a record through the media chooser, in Chromium.

The chooser lists the team's media with thumbnails and filters them by
type; the asset's own page then previews the photo.
"""

from heritage.models import RecordMedia
from media_pipeline.ingest import ingest_file
from tests.browser.admin import log_in, wait_until_form_watched, watch_forms
from tests.browser.screenshots import OUT_DIR, launch
from tests.browser.watch import problems_of
from tests.factories import make_record, team_member
from tests.media_pipeline.helpers import jpeg_with_exif


def test_editor_picks_their_photo_in_the_chooser(live_server, archive, tmp_path, tiny, settings):
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    team = archive["Lào Cai"]
    team_member(team, "editors", "lc-editor")
    record = make_record("Chợ phiên Bắc Hà", province="Lào Cai", groups=("H'Mông",), publish=False)
    photo = ingest_file(
        jpeg_with_exif(tmp_path / "cho_phien-bac-ha.jpg"), collection=team.collection
    ).asset
    ingest_file(tiny["wav"], title="Hát then", collection=team.collection)
    photo.refresh_from_db()
    assert photo.state == "ready", photo.error
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="vi-VN")
        errors = problems_of(page)
        watch_forms(page)
        log_in(page, live_server.url, "lc-editor")
        page.goto(f"{live_server.url}/admin/pages/{record.pk}/edit/")
        wait_until_form_watched(page)
        page.locator("#id_media_links-ADD").click()
        chooser = page.locator("#id_media_links-0-asset-chooser")
        chooser.get_by_role("button", name="Chọn mục tư liệu", exact=True).click()
        modal = page.locator(".modal-dialog")
        expect(modal.get_by_text("Hát then")).to_be_visible()
        modal.get_by_label("Loại tư liệu").select_option(label="Hình ảnh")
        expect(modal.get_by_text("Hát then")).to_have_count(0)
        thumbnail = modal.locator("img.media-thumbnail").first
        expect(thumbnail).to_be_visible()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
        assert thumbnail.get_attribute("src").startswith(f"/files/{photo.token}/")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT_DIR / "admin-media-chooser-vi-desktop.png")
        modal.get_by_role("link", name="cho phien bac ha").click()
        expect(modal).to_have_count(0)
        expect(page.locator("#id_media_links-0-asset-title")).to_have_text("cho phien bac ha")
        assert "Asset" not in page.locator("#inline_child_media_links-0").inner_text()
        # Saved once the autosave of the new link is done, as its indicator shows:
        # a save during an autosave in flight is refused by Wagtail as out of date.
        autosave = page.locator("#w-autosave-indicator")
        expect(autosave).to_have_attribute("data-w-autosave-state-value", "saved", timeout=30_000)
        page.get_by_role("button", name="Lưu nháp").click()
        page.wait_for_load_state()
        expect(page.locator(".messages .success")).to_be_visible()

        page.goto(f"{live_server.url}/admin/snippets/media_pipeline/mediaasset/edit/{photo.pk}/")
        preview = page.locator("img.media-preview__image")
        expect(preview).to_be_visible()
        assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.locator("[data-media-status-label]")).to_contain_text("Sẵn sàng: ")
        page.screenshot(path=OUT_DIR / "admin-media-asset-vi-desktop.png")
        html = page.content()
        browser.close()
    assert errors == []
    assert "masters/" not in html and "renditions/" not in html
    assert list(RecordMedia.objects.filter(page=record).values_list("asset", flat=True)) == [
        photo.pk
    ]
