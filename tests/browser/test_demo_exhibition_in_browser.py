"""The demo archive itself, as a visitor sees it, in headless Chromium.

The demo is loaded once for the module with its media made by the real
ffmpeg, then served by a live server of the module's own: every test reads
the same committed demo, so no test here may change it. On a 360x740 phone
and a 1366x800 desktop: every kind of public page, in Vietnamese and
English, passes axe-core (best practice included) with no script error, CSP
report or sideways scroll, and fetches under 150 KB before the first
interaction; the Lồng Tồng video plays through hls.js past its second
segment, switches quality and to listen only; a line of the Then transcript
seeks; the gallery's lightbox works by keyboard; a sensitive record stays
acknowledged in English. Screenshots go to var/screenshots/demo/ (the path
is printed).
"""

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer
from wagtail.models import Locale

from heritage.demo import demo_record_id, load_demo
from heritage.demo_content import MEDIA, STORIES
from heritage.models import RecordPage, StoryPage
from media_pipeline.models import MediaAsset
from tests.browser.pagecheck import (
    open_lightbox_by_keyboard,
    run_axe,
    segments,
    wait_until,
    watch_requests,
)
from tests.browser.screenshots import OUT_DIR
from tests.browser.test_csp_in_browser import COLLECT_VIOLATIONS
from tests.browser.watch import problems_of
from tests.browser.weight import page_weight
from tests.factories import ensure_reference_data

# The browser conftest makes every other test transactional; its flush would
# empty the demo after the first test, so this module commits and clears its own
# and its tests run in transactions that are rolled back, reading only.
KEEPS_ITS_DATA = True
SHOTS = OUT_DIR / "demo"
SIZES = {"phone": (360, 740), "desktop": (1366, 800)}
CAPTION_QUERY = "khiêng kiệu"  # only in the Lồng Tồng video's Vietnamese captions


@dataclass
class Exhibition:
    url: str
    paths: dict  # name -> {"vi": path, "en": path}

    def __call__(self, name, lang="vi"):
        return self.url + self.paths[name][lang]


def _record_paths(key):
    pages = RecordPage.objects.filter(record_id=demo_record_id(key)).select_related("locale")
    return {page.locale.language_code: page.url for page in pages}


# Autouse, so it starts before the module's browser and stops after it: no kept-alive
# request thread still holds a database connection when the server goes.
@pytest.fixture(scope="module", autouse=True)
def exhibition(django_db_setup, django_db_blocker, tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_WORK_DIR=str(work / "work"), MEDIA_UPLOAD_DIR=str(work / "up")),
    ):
        ensure_reference_data()
        load_demo(process_media=True)  # publishing and processing index the records
        not_ready = list(MediaAsset.objects.exclude(state="ready").values_list("title", "error"))
        assert not_ready == []
        story = StoryPage.objects.get(title=STORIES[0]["vi"]["title"])
        english = Locale.objects.get(language_code="en")
        record = RecordPage.objects.get(
            record_id=demo_record_id("long-tong"), locale__language_code="vi"
        )
        province = record.get_parent()
        group = record.ethnic_groups.first()
        domain = record.ich_domain.replace("_", "-")
        paths = {
            "home": {"vi": "/", "en": "/en/"},
            "video": _record_paths("long-tong"),
            "audio": _record_paths("hat-then"),
            "sensitive": _record_paths("bo-ma-gia-rai"),
            "story": {"vi": story.url, "en": story.get_translation(english).url},
            "search": {
                "vi": "/search/?q=" + quote(CAPTION_QUERY),
                "en": "/en/search/?q=" + quote("palanquin"),
            },
            "groups": {"vi": "/ethnic-groups/", "en": "/en/ethnic-groups/"},
            "provinces": {"vi": "/provinces/", "en": "/en/provinces/"},
            "map": {"vi": "/map/", "en": "/en/map/"},
            "calendar": {"vi": "/calendar/", "en": "/en/calendar/"},
            "group": {
                "vi": f"/ethnic-groups/{group.slug}/",
                "en": f"/en/ethnic-groups/{group.slug}/",
            },
            "province": {"vi": province.url, "en": province.get_translation(english).url},
            "domains": {"vi": "/domains/", "en": "/en/domains/"},
            "domain": {"vi": f"/domains/{domain}/", "en": f"/en/domains/{domain}/"},
            "stories": {
                "vi": story.get_parent().url,
                "en": story.get_parent().get_translation(english).url,
            },
            "all-records": {"vi": "/search/", "en": "/en/search/"},
            "open-data": {"vi": "/open-data/", "en": "/en/open-data/"},
            "missing": {"vi": "/khong-co-trang-nay/", "en": "/en/no-such-page/"},
        }
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield Exhibition(server.url, paths)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # What a transactional test leaves behind: an empty database.
            call_command("flush", interactive=False, verbosity=0)


def open_tab(browser, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.add_init_script(COLLECT_VIOLATIONS)
    tab.problems = problems_of(tab)
    watch_requests(tab)
    tab.size = size
    return tab


SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise(done => requestAnimationFrame(done));
  }
  scrollTo(0, 0);
}"""


def shoot(tab, name, full_page=True):
    """A screenshot of the page as a visitor who scrolled through it saw it (lazy images in)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:
        tab.evaluate(SCROLL_THROUGH)
        wait_until(tab, "() => [...document.images].every(image => image.complete)")
    path = SHOTS / f"{name}-{tab.size}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    print(path)


def faults(tab, origin):
    """What is wrong with the page as it is now: a list a visitor would want empty."""
    found = [*tab.problems, *tab.evaluate("window.__csp"), *run_axe(tab)]
    if not tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        found.append("scrolls sideways")
    found.extend(f"fetched from {host}" for host in hosts(tab) - {urlsplit(origin).netloc})
    tab.problems.clear()
    return found


def not_found(url):
    """What the browser reports of a page that is, rightly, a 404."""
    return [
        f"404 GET {url}",
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]


def hosts(tab):
    return {urlsplit(url).netloc for url in tab.seen}


# Every kind of public page, in both languages.
PAGES = [
    "home", "video", "audio", "story", "stories", "search", "all-records", "groups", "group",
    "provinces", "province", "domains", "domain", "map", "calendar", "open-data", "missing",
]  # fmt: skip
# The bar: all a page fetches before the first interaction (compressed, media excluded).
WEIGHT_BAR = 150_000


@pytest.mark.parametrize("size", list(SIZES))
def test_every_kind_of_page_passes_axe_and_the_weight_bar(browser, exhibition, size):
    print(f"screenshots: {SHOTS}")
    found, weights = {}, {}
    for lang in ("vi", "en"):
        for name in PAGES:
            # A tab of its own: each page is weighed as a first view, with an empty cache.
            tab = open_tab(browser, size)
            weights[f"{name}-{lang}"], _ = page_weight(tab, exhibition(name, lang))
            tab.wait_for_load_state("networkidle")
            assert tab.locator("html").get_attribute("lang") == lang, tab.url
            expected = not_found(exhibition(name, lang)) if name == "missing" else []
            seen = faults(tab, exhibition.url)
            assert all(fault in seen for fault in expected), (name, lang, seen)
            found[f"{name}-{lang}"] = [fault for fault in seen if fault not in expected]
            shoot(tab, f"{name}-{lang}")
            tab.context.close()
    print("bytes before the first interaction:", weights)
    assert {name: faults for name, faults in found.items() if faults} == {}
    assert {name: size for name, size in weights.items() if size >= WEIGHT_BAR} == {}


def test_a_caption_word_finds_the_video_record_at_its_moment(browser, exhibition):
    tab = open_tab(browser, "phone")
    tab.goto(exhibition("search"))
    hit = tab.locator(".hit", has_text="Lễ hội Lồng Tồng")
    assert hit.locator(f"a[href='{exhibition.paths['video']['vi']}#t=0']").count() == 1
    tab.goto(exhibition("search", "en"))
    assert tab.locator(".hit", has_text="Lồng Tồng").count() == 1
    tab.context.close()


def test_the_demo_video_plays_through_hlsjs_switches_quality_and_listens_only(browser, exhibition):
    tab = open_tab(browser, "desktop")
    tab.goto(exhibition("video"))
    tab.wait_for_load_state("networkidle")
    assert not any("hls.light" in url for url in tab.seen), "hls.js waits for the first play"
    video = "document.querySelector('video')"
    tab.evaluate(f"() => {{ const v = {video}; v.muted = true; v.play(); }}")
    wait_until(tab, f"() => {video}.currentTime > 4.2")
    assert any("hls.light" in url for url in tab.seen)
    assert len(set(segments(tab))) >= 3, tab.seen  # past the second 2-second segment
    assert tab.evaluate(f"() => {video}.currentSrc.startsWith('blob:')")
    assert tab.evaluate(f"() => {video}.textTracks.length") >= 2  # vi and en captions

    quality = tab.locator(".player-quality select")
    assert quality.locator("option").all_inner_texts()[1:] == ["240p", "360p"]
    before = len(segments(tab, "360p"))
    tab.evaluate(f"() => {{ {video}.currentTime = 0; }}")
    quality.select_option(label="360p")
    wait_until(tab, "() => document.querySelector('[data-player]').hls.currentLevel === 1")
    wait_until(tab, f"() => {video}.currentTime > 1")
    assert len(segments(tab, "360p")) > before, tab.seen
    shoot(tab, "video-playing")

    listen = tab.get_by_role("button", name="Chỉ nghe")
    listen.click()
    wait_until(tab, f"() => {video}.currentSrc.endsWith('audio.m4a')")
    assert listen.get_attribute("aria-pressed") == "true"
    assert any(url.endswith("/audio.m4a") for url in tab.seen)
    shoot(tab, "video-listen-only")
    assert tab.problems == []
    tab.context.close()


def test_a_line_of_the_then_transcript_seeks_the_recording(browser, exhibition):
    tab = open_tab(browser, "phone")
    tab.goto(exhibition("audio"))
    tab.wait_for_load_state("networkidle")
    line = tab.locator(".transcript-lines a", has_text="Cầu cho bản làng mùa màng bội thu")
    line.click()
    wait_until(
        tab,
        "() => { const a = document.querySelector('audio');"
        " return !a.seeking && a.currentTime >= 3.2; }",
    )
    assert tab.url.endswith("#t=3.2")
    assert line.get_attribute("aria-current") is not None
    shoot(tab, "audio-transcript")
    assert tab.problems == []
    tab.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_gallery_lightbox_by_keyboard(browser, exhibition, size):
    tab = open_tab(browser, size)
    tab.goto(exhibition("video"))
    dialog = open_lightbox_by_keyboard(tab)
    text = dialog.locator(".lightbox-text")
    assert text.inner_text() == MEDIA["longtong-cay-con"][1]
    assert run_axe(tab) == []
    shoot(tab, "lightbox", full_page=False)  # the dialog covers the screen, not the page
    tab.keyboard.press("ArrowRight")
    assert text.inner_text() == MEDIA["longtong-nem-con"][1]
    tab.keyboard.press("ArrowLeft")
    assert text.inner_text() == MEDIA["longtong-cay-con"][1]
    tab.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert tab.evaluate("() => document.activeElement.classList.contains('lightbox-link')")
    assert tab.problems == []
    tab.context.close()


def test_a_sensitive_record_stays_acknowledged_in_english(browser, exhibition):
    tab = open_tab(browser, "phone")
    tab.goto(exhibition("sensitive"))
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#sensitivity-warning").is_visible()
    assert not any("/files/" in url for url in tab.seen), "no byte of its media before consent"
    assert faults(tab, exhibition.url) == []
    shoot(tab, "sensitive-warning")
    tab.locator("#sensitivity-warning button").click()
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#sensitivity-warning").count() == 0
    assert any("/files/" in url for url in tab.seen)
    tab.locator(".lang-switch a[hreflang=en]").click()
    tab.wait_for_load_state("networkidle")
    assert urlsplit(tab.url).path == exhibition.paths["sensitive"]["en"]
    assert tab.locator("#sensitivity-warning").count() == 0
    assert tab.locator("main img").count() >= 1
    assert faults(tab, exhibition.url) == []
    shoot(tab, "sensitive-acknowledged-en")
    tab.context.close()
