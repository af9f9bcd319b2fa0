"""A record's IIIF manifest as a viewer reads it: @iiif/parser in headless Chromium.

The shipped UMD build of @iiif/parser (global ``IIIFParser``) is loaded into a
page of the live server; the page fetches the manifest, normalises it, and
finds every canvas, every annotation and every caption, whose WebVTT files
it then fetches too. Media are made by the real ffmpeg and pipeline.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from heritage.models import Consent, Person
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption
from tests.factories import make_record
from tests.media_pipeline import mediagen

PARSER = Path(__file__).resolve().parent / "vendor" / "iiif-parser.umd.js"
CAPTIONS = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nGià làng đánh chiêng\n"

READ_MANIFEST = """async (url) => {
  const json = await (await fetch(url)).json();
  const { entities, resource } = IIIFParser.Presentation3.normalize(json);
  const manifest = entities.Manifest[resource.id];
  const canvases = manifest.items.map((ref) => entities.Canvas[ref.id]);
  const annotations = [];
  for (const canvas of canvases) {
    for (const pages of [canvas.items, canvas.annotations]) {
      for (const ref of pages) {
        for (const item of entities.AnnotationPage[ref.id].items) {
          annotations.push(entities.Annotation[item.id]);
        }
      }
    }
  }
  const bodies = annotations.flatMap((a) => a.body.map((ref) => entities.ContentResource[ref.id]));
  const captions = bodies.filter((body) => body && body.format === "text/vtt");
  const vtt = await Promise.all(captions.map(async (c) => (await (await fetch(c.id)).text())));
  return {
    label: manifest.label,
    canvases: canvases.map((c) => ({ id: c.id, duration: c.duration || 0, width: c.width || 0 })),
    annotations: annotations.map((a) => [].concat(a.motivation).join(" ")),
    captions: captions.map((c) => [].concat(c.language).join(" ")),
    vttOk: vtt.every((text) => text.startsWith("WEBVTT")),
    rights: manifest.rights,
  };
}"""


def ready(asset):
    asset.refresh_from_db()
    assert asset.state == "ready", asset.error
    return asset


def add_caption(asset, language, kind):
    caption = Caption(asset=asset, language=language, kind=kind)
    caption.file.save(f"{language}.vtt", ContentFile(CAPTIONS.encode()), save=False)
    caption.save()


@pytest.fixture
def record(archive, work_dirs, tmp_path, settings, live_server):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the manifest's own URLs
    Image.new("RGB", (900, 600), (30, 160, 40)).save(tmp_path / "nem-con.jpg", "JPEG")
    photo = ready(ingest_file(tmp_path / "nem-con.jpg", title="Ném còn").asset)
    source = mediagen.video(tmp_path, "xoe.mp4", size="320x180", duration=2)
    video = ready(ingest_file(source, title="Múa xòe").asset)
    add_caption(video, "vi", "captions")
    add_caption(video, "en", "transcript")
    audio = ready(ingest_file(mediagen.audio_mp4(tmp_path), title="Hát lượn").asset)
    speaker = Person.objects.create(name="Nông Văn Lư", role="informant")
    Consent.objects.create(
        person=speaker,
        granted_by=speaker.name,
        covers_public_display=True,
        granted_on=datetime.date.today(),
    )
    return make_record(
        "Lễ hội Lồng Tồng",
        body=[
            ("image", {"asset": photo, "caption": "", "alt_text": ""}),
            ("video", {"asset": video, "caption": ""}),
            ("audio", {"asset": audio, "caption": ""}),
            (
                "oral_testimony",
                {
                    "speaker": speaker,
                    "recording": audio,
                    "language": "Tày",
                    "transcript": "Pây tàng mừa bản",
                    "translation": "Đi đường về bản",
                },
            ),
        ],
    )


def test_the_parser_finds_every_canvas_annotation_and_caption(browser, live_server, record):
    tab = browser.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    tab.goto(live_server.url + record.url)
    link = tab.get_by_role("link", name="Tệp mô tả IIIF (manifest)")
    manifest_url = live_server.url + link.get_attribute("href")
    # Evaluated through the DevTools protocol: the page's CSP refuses inline scripts.
    tab.evaluate(PARSER.read_text(encoding="utf-8") + "\n;0")
    found = tab.evaluate(READ_MANIFEST, manifest_url)

    assert found["label"] == {"vi": ["Lễ hội Lồng Tồng"]}
    assert found["rights"] == "https://creativecommons.org/licenses/by/4.0/"
    photo, video, audio = found["canvases"]
    assert photo["width"] == 900 and photo["duration"] == 0
    assert video["width"] == 320 and video["duration"] == pytest.approx(2, abs=0.2)
    assert audio["width"] == 0 and audio["duration"] == pytest.approx(3, abs=0.2)
    assert sorted(found["annotations"]) == ["painting"] * 3 + ["supplementing"] * 3
    assert sorted(found["captions"]) == ["en", "vi"]
    assert found["vttOk"]
    assert errors == []
    tab.close()
