"""An officer uploads a photo through the admin's resumable (tus) upload page in Chromium."""

import hashlib
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.utils import translation
from PIL import Image

from media_pipeline.models import MediaAsset, ProcessingState, UploadPhase
from tests.browser.admin import log_in
from tests.browser.screenshots import launch
from tests.factories import ensure_reference_data


def labels(phase):
    """The phase's label in both admin languages."""
    found = []
    for language in ("vi", "en"):
        with translation.override(language):
            found.append(str(phase.label))
    return found


def test_photo_is_uploaded_in_chunks_and_processed(live_server, settings, tmp_path, task_queue):
    ensure_reference_data()
    settings.MEDIA_UPLOAD_CHUNK_BYTES = 128 * 1024  # several PATCH requests for one file
    User.objects.create_superuser("root", password="pw")
    photo = tmp_path / "nem-con.jpg"
    noise = Image.effect_noise((900, 700), 60).convert("RGB")
    noise.save(photo, quality=95)
    assert photo.stat().st_size > 3 * settings.MEDIA_UPLOAD_CHUNK_BYTES
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        hosts = set()
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        log_in(page, live_server.url, "root", "pw")
        page.goto(live_server.url + "/admin/media-upload/")
        page.set_input_files("#media-upload-files", str(photo))
        # Every byte is sent; checking and storing wait for the worker, and
        # the page says so, in the admin's language, with the bytes hashed.
        page.wait_for_selector("#media-upload-list li[data-phase=hashing]", timeout=60_000)
        status = page.locator("#media-upload-list [data-status]").inner_text()
        assert any(status.startswith(label) for label in labels(UploadPhase.HASHING))
        assert "MB" in status
        assert MediaAsset.objects.count() == 0
        task_queue.run_until_empty()
        page.wait_for_selector("#media-upload-list [data-status] a", timeout=60_000)
        assert page.locator("#media-upload-list progress").get_attribute("value") == "100"
        assert page.locator("#media-upload-list li").get_attribute("data-phase") == "queued"
        # The row follows the item's processing (the worker has done it by now) to its end.
        page.wait_for_selector("#media-upload-list li[data-state=ready]", timeout=60_000)
        status = page.locator("#media-upload-list [data-status]").inner_text()
        assert status.startswith(("Ready: ", "Sẵn sàng: ")), status
        browser.close()
    assert errors == []
    assert hosts == {urlsplit(live_server.url).netloc}  # no avatar service, no CDN
    asset = MediaAsset.objects.get()
    assert asset.original_filename == "nem-con.jpg"
    assert asset.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert asset.media_type == "image" and asset.state == ProcessingState.READY
