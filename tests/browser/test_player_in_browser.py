"""The record page's media in headless Chromium, as a visitor uses them.

Media are made by the real ffmpeg and the real pipeline (run at once in the
test settings): a 7-second 640x360 video has a 240p and a 360p rung cut
into 2-second fMP4 segments. The video plays through hls.js past its
second segment, switches rung and switches to listen only; a transcript
line seeks; the lightbox works by keyboard; a sensitive record stays
acknowledged in the other language. The seek bar under the video shows the
thumbnail track's tiles, over hls.js and over the MP4. axe-core checks the
page. Screenshots go to var/screenshots/player/ (the path is printed).
"""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.models import Locale

from heritage.models import RecordMedia
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption
from tests.browser.pagecheck import (
    open_lightbox_by_keyboard,
    run_axe,
    segments,
    wait_until,
    watch_requests,
)
from tests.browser.screenshots import OUT_DIR, SIZES
from tests.browser.test_csp_in_browser import COLLECT_VIOLATIONS
from tests.browser.watch import problems_of
from tests.factories import make_record
from tests.media_pipeline import mediagen
from tests.media_pipeline.helpers import jpeg_with_exif

SHOTS = OUT_DIR / "player"
TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:02.000
Già làng đánh chiêng mở hội

00:00:02.000 --> 00:00:04.000
Cả bản cùng hát mừng mùa mới

00:00:04.000 --> 00:00:06.500
Mời khách uống rượu cần
"""
SPRITE_CUE = re.compile(r"(\S+) --> (\S+)\n\S+#xywh=(\d+),(\d+),\d+,\d+")


def ready(asset):
    asset.refresh_from_db()
    assert asset.state == "ready", asset.error
    return asset


def add_caption(asset, language, text, kind):
    caption = Caption(asset=asset, language=language, kind=kind, label=language)
    caption.file.save(f"{language}.vtt", ContentFile(text.encode()), save=False)
    caption.save()


def record_with(title, assets, **fields):
    page = make_record(title, **fields)
    for asset, caption in assets:
        RecordMedia.objects.create(page=page, asset=asset, caption=caption)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def shoot(tab, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        height = 740 if size == "phone" else 800
        tab.set_viewport_size({"width": width, "height": height})
        path = SHOTS / f"{name}-{size}.png"
        tab.screenshot(path=str(path), full_page=True)
        print(path)


@pytest.fixture
def video_record(archive, work_dirs, tmp_path):
    source = mediagen.video(tmp_path, "mua-xoe.mp4", size="640x360", duration=7)
    video = ready(ingest_file(source, title="Múa xòe").asset)
    add_caption(video, "vi", TRANSCRIPT, "transcript")
    return record_with("Lễ hội Xuống đồng", [(video, "Múa xòe trước nhà văn hóa")])


def test_video_plays_through_hlsjs_switches_quality_and_listen_only(
    browser, live_server, video_record
):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    tab = context.new_page()
    watch_requests(tab)
    tab.goto(live_server.url + video_record.url)
    tab.wait_for_load_state("networkidle")
    assert not any("hls.light" in url for url in tab.seen), "hls.js waits for the first play"
    assert tab.locator(".player-bar").is_visible()

    tab.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(tab, "() => document.querySelector('video').currentTime > 4.2")
    assert any("hls.light" in url for url in tab.seen)
    assert len(set(segments(tab))) >= 3, tab.seen  # past the second 2-second segment
    assert tab.evaluate("() => document.querySelector('video').currentSrc.startsWith('blob:')")

    # Quality: the menu lists both rungs; choosing 360p fetches 360p segments.
    quality = tab.locator(".player-quality select")
    assert quality.is_visible()
    labels = quality.locator("option").all_inner_texts()
    assert labels[1:] == ["240p", "360p"], labels
    playing_rung = "240p" if segments(tab, "240p") and not segments(tab, "360p") else None
    other = "360p" if playing_rung == "240p" else "240p"
    before = len(segments(tab, other))
    tab.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0; }")
    quality.select_option(label=other)
    wait_until(
        tab,
        "() => document.querySelector('[data-player]').hls.currentLevel === "
        + ("1" if other == "360p" else "0"),
    )
    wait_until(tab, "() => document.querySelector('video').currentTime > 1")
    assert len(segments(tab, other)) > before, tab.seen

    # Listen only: the audio rendition plays, and the choice survives a reload.
    tab.get_by_role("button", name="Chỉ nghe").click()
    wait_until(tab, "() => document.querySelector('video').currentSrc.endsWith('audio.m4a')")
    assert tab.get_by_role("button", name="Chỉ nghe").get_attribute("aria-pressed") == "true"
    assert any(url.endswith("/audio.m4a") for url in tab.seen)
    shoot(tab, "video-listen-only")
    tab.seen.clear()
    tab.reload()
    tab.wait_for_load_state("networkidle")
    assert tab.get_by_role("button", name="Chỉ nghe").get_attribute("aria-pressed") == "true"
    tab.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(tab, "() => document.querySelector('video').currentTime > 0.5")
    assert any(url.endswith("/audio.m4a") for url in tab.seen)
    assert segments(tab) == [], "listening only fetches no picture"

    # A transcript line seeks the player.
    tab.get_by_role("button", name="Chỉ nghe").click()  # back to the picture
    tab.locator(".transcript-lines a", has_text="Mời khách uống rượu cần").click()
    wait_until(
        tab,
        "() => { const v = document.querySelector('video');"
        " return v.currentTime >= 4 && !v.seeking; }",
    )
    wait_until(
        tab,
        "() => document.querySelector('.transcript-lines a[aria-current]')?.dataset.start === '4'",
    )
    assert tab.url.endswith("#t=4")
    assert tab.errors == []
    shoot(tab, "video")
    context.close()


def test_hash_seeks_the_player_on_arrival(browser, live_server, video_record):
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto(live_server.url + video_record.url + "#t=2")
    wait_until(
        tab,
        "() => { const v = document.querySelector('video');"
        " return v.readyState > 0 && v.currentTime >= 2; }",
    )
    tab.close()


def seconds_of(stamp):
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def sprite_offsets(tab):
    """(start, end, "-x px -y px") of each cue of the page's thumbnail track, read as served."""
    vtt = tab.evaluate(
        "() => fetch(document.querySelector('track[kind=metadata]').src).then(r => r.text())"
    )
    return [
        (seconds_of(start), seconds_of(end), f"{-int(x)}px {-int(y)}px")
        for start, end, x, y in SPRITE_CUE.findall(vtt)
    ]


def hover_seek_bar(tab, fraction):
    bar = tab.get_by_role("slider", name="Vị trí trong video")
    bar.evaluate("bar => bar.scrollIntoView({block: 'center'})")
    box = bar.bounding_box()
    tab.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2, steps=3)
    return bar


def shown_preview(tab):
    """What the preview over the seek bar shows, once it shows."""
    wait_until(tab, "() => !document.querySelector('.seek-preview').hidden", seconds=20)
    return tab.evaluate(
        """() => {
          const tile = document.querySelector('.seek-tile');
          const style = getComputedStyle(tile);
          const box = document.querySelector('.seek-preview').getBoundingClientRect();
          const bar = document.querySelector('.player-seek input').getBoundingClientRect();
          return {image: style.backgroundImage, position: style.backgroundPosition,
                  width: tile.offsetWidth, time: document.querySelector('.seek-time').textContent,
                  left: box.left, right: box.right, above: box.bottom <= bar.top + 4,
                  viewport: document.documentElement.clientWidth};
        }"""
    )


def visit_with_eyes_open(browser, url, width, height, route_hlsjs=None):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.add_init_script(COLLECT_VIOLATIONS)
    tab.problems = problems_of(tab)
    watch_requests(tab)
    if route_hlsjs:
        tab.route("**/hls.light*", route_hlsjs)
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    return tab


def sprite_requests(tab):
    return [url for url in tab.seen if "/thumbnails." in url]


def test_seek_bar_previews_thumbnails_and_seeks_by_keyboard(browser, live_server, video_record):
    tab = visit_with_eyes_open(browser, live_server.url + video_record.url, 1366, 800)
    assert sprite_requests(tab) == [], "the sprite and its cues wait for the visitor"
    bar = tab.get_by_role("slider", name="Vị trí trong video")
    assert bar.is_visible()
    assert bar.bounding_box()["height"] >= 24  # a tap target
    assert tab.locator(".seek-preview").is_hidden()
    offsets = sprite_offsets(tab)
    assert len(offsets) == 7, offsets  # one tile a second of the 7-second video

    def tile_at(seconds):
        return next(offset for start, end, offset in offsets if start <= seconds < end)

    duration = float(bar.get_attribute("max"))
    hover_seek_bar(tab, 0.5)
    middle = shown_preview(tab)
    assert "/thumbnails.jpg" in middle["image"], middle
    assert middle["position"] == tile_at(duration * 0.5), middle
    assert middle["time"] == "0:03", middle
    assert middle["above"] and middle["width"] >= 120, middle
    assert any(url.endswith("/thumbnails.jpg") for url in tab.seen)
    hover_seek_bar(tab, 0.2)
    early = shown_preview(tab)
    assert early["position"] == tile_at(duration * 0.2) != middle["position"], early
    assert early["time"] == "0:01", early
    assert tab.evaluate("() => document.querySelector('video').paused"), "hovering only shows"
    tab.mouse.move(0, 0)
    wait_until(tab, "() => document.querySelector('.seek-preview').hidden")

    for size, (width, _) in SIZES.items():
        tab.set_viewport_size({"width": width, "height": 740 if size == "phone" else 800})
        for fraction in (0.01, 0.99, 0.5):  # at either end it stays on the screen
            hover_seek_bar(tab, fraction)
            shown = shown_preview(tab)
            assert 0 <= shown["left"] and shown["right"] <= shown["viewport"], (size, shown)
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"seek-preview-{size}.png"))
        print(SHOTS / f"seek-preview-{size}.png")
        tab.mouse.move(0, 0)
    assert run_axe(tab) == []

    # By keyboard: the first step starts the video there, the bar follows it.
    tab.set_viewport_size({"width": 1366, "height": 800})
    bar.focus()
    tab.keyboard.press("ArrowRight")
    assert shown_preview(tab)["time"] == "0:05"
    tab.screenshot(path=str(SHOTS / "seek-keyboard-desktop.png"))
    wait_until(tab, "() => document.querySelector('video').currentTime >= 5.2")
    tab.evaluate("() => document.querySelector('video').pause()")
    now = tab.evaluate("() => document.querySelector('video').currentTime")
    assert abs(float(bar.input_value()) - now) < 0.5, (bar.input_value(), now)
    tab.keyboard.press("ArrowLeft")
    wait_until(
        tab,
        f"() => {{ const v = document.querySelector('video');"
        f" return !v.seeking && Math.abs(v.currentTime - {now - 5}) < 0.3; }}",
    )
    assert tab.evaluate("() => document.querySelector('video').currentSrc.startsWith('blob:')")

    # Listen only: no picture, so no preview; the bar still seeks.
    tab.get_by_role("button", name="Chỉ nghe").click()
    wait_until(tab, "() => document.querySelector('video').currentSrc.endsWith('audio.m4a')")
    hover_seek_bar(tab, 0.5)
    tab.wait_for_timeout(500)
    assert tab.locator(".seek-preview").is_hidden()
    tab.evaluate("() => document.querySelector('video').play()")
    wait_until(tab, "() => document.querySelector('video').readyState > 0")
    bar.focus()
    tab.keyboard.press("End")
    wait_until(tab, "() => document.querySelector('video').currentTime > 6.5")
    assert tab.locator(".seek-preview").is_hidden()

    assert tab.problems == []
    assert tab.evaluate("window.__csp") == []
    tab.context.close()


def test_seek_bar_on_the_mp4_when_hlsjs_does_not_come(browser, live_server, video_record):
    # A script that defines no Hls: the player falls back to the progressive MP4.
    def empty_script(route):
        route.fulfill(status=200, content_type="text/javascript", body="")

    url = live_server.url + video_record.url
    tab = visit_with_eyes_open(browser, url, 360, 740, route_hlsjs=empty_script)
    assert sprite_requests(tab) == []
    # Playing alone loads the cues, never the sprite: that waits for a preview.
    tab.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(tab, "() => document.querySelector('video').currentTime > 1")
    assert tab.evaluate("() => document.querySelector('video').currentSrc.endsWith('.mp4')")
    assert [u.rsplit("/", 1)[-1] for u in sprite_requests(tab)] == ["thumbnails.vtt"]
    wait_until(tab, "() => parseFloat(document.querySelector('.player-seek input').value) > 1")
    bar = hover_seek_bar(tab, 0.75)
    assert "/thumbnails.jpg" in shown_preview(tab)["image"]
    tab.evaluate("() => document.querySelector('video').pause()")
    bar.focus()
    tab.keyboard.press("Home")
    wait_until(
        tab,
        "() => { const v = document.querySelector('video');"
        " return !v.seeking && v.currentTime < 0.3; }",
    )
    assert tab.problems == []
    assert tab.evaluate("window.__csp") == []
    tab.context.close()


@pytest.fixture
def gallery_record(archive, work_dirs, tmp_path, tiny):
    first = ready(
        ingest_file(jpeg_with_exif(tmp_path / "a.jpg", (1200, 800)), title="Ném còn").asset
    )
    second = ready(
        ingest_file(jpeg_with_exif(tmp_path / "b.jpg", (900, 1200), 1), title="Kéo co").asset
    )
    first.recorded_by = "Lò Văn Minh"
    first.save()
    audio = ready(ingest_file(tiny["wav"], title="Hát then").asset)
    add_caption(
        audio, "vi", "WEBVTT\n\n00:00:00.000 --> 00:00:00.800\nLời then mở đầu\n", "transcript"
    )
    return record_with(
        "Lễ hội Lồng Tồng",
        [(first, "Quả còn bay qua vòng"), (second, "Kéo co cầu mùa"), (audio, "")],
    )


def test_lightbox_by_keyboard_waveform_and_axe(browser, live_server, gallery_record):
    tab = browser.new_page(viewport={"width": 1366, "height": 800})
    watch_requests(tab)
    tab.goto(live_server.url + gallery_record.url)
    tab.wait_for_load_state("networkidle")
    dialog = open_lightbox_by_keyboard(tab)
    assert dialog.locator(".lightbox-text").inner_text() == "Quả còn bay qua vòng"
    assert "Lò Văn Minh" in dialog.locator(".lightbox-credit").inner_text()
    shoot(tab, "lightbox")
    tab.set_viewport_size({"width": 1366, "height": 800})
    tab.keyboard.press("ArrowRight")
    assert dialog.locator(".lightbox-text").inner_text() == "Kéo co cầu mùa"
    # Focus stays inside the dialog.
    for _ in range(5):
        tab.keyboard.press("Tab")
        assert tab.evaluate("() => !!document.activeElement.closest('dialog.lightbox')")
    tab.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert tab.evaluate("() => document.activeElement.classList.contains('lightbox-link')")

    # The waveform is drawn from the peaks and seeks from the keyboard.
    wave = tab.locator(".waveform")
    assert wave.is_visible()
    wave.focus()
    tab.keyboard.press("End")
    wait_until(tab, "() => document.querySelector('audio').currentTime > 0.5")
    assert tab.errors == []
    assert run_axe(tab) == []
    shoot(tab, "gallery-audio")
    tab.close()


def test_sensitive_record_stays_acknowledged_in_the_other_language(
    browser, live_server, archive, work_dirs, tmp_path
):
    photo = ready(ingest_file(jpeg_with_exif(tmp_path / "mo.jpg"), title="Nhà mồ").asset)
    page = record_with(
        "Lễ bỏ mả",
        [(photo, "Nhà mồ")],
        kind="custom",
        groups=("Gia Rai",),
        province="Gia Lai",
        summary="Nội dung sau cảnh báo.",
        sensitivity_warning="Có hình ảnh mộ và tang lễ.",
    )
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Grave abandonment ceremony"
    english.slug = "grave-abandonment"
    english.summary = "Content behind the warning."
    english.save_revision().publish()

    tab = browser.new_page(viewport={"width": 360, "height": 740})
    watch_requests(tab)
    # The home page's card marks it and fetches no picture of it.
    tab.goto(live_server.url + "/")
    card = tab.locator(".card", has_text="Lễ bỏ mả")
    assert card.locator(".card-gate").is_visible()
    tab.goto(live_server.url + page.url)
    tab.wait_for_load_state("networkidle")
    assert not any("/files/" in url for url in tab.seen), "no byte of its media before consent"
    assert run_axe(tab) == []
    shoot(tab, "sensitive-warning")
    tab.locator("#sensitivity-warning button").click()
    tab.wait_for_load_state("networkidle")
    assert tab.get_by_text("Nội dung sau cảnh báo.").is_visible()
    assert any("/files/" in url for url in tab.seen)
    tab.locator(".lang-switch a[hreflang=en]").click()
    tab.wait_for_load_state()
    assert tab.get_by_text("Content behind the warning.").is_visible()
    assert tab.locator("#sensitivity-warning").count() == 0
    tab.goto(live_server.url + "/")
    assert tab.locator(".card", has_text="Lễ bỏ mả").locator(".card-gate").count() == 0
    assert tab.errors == []
    tab.close()
