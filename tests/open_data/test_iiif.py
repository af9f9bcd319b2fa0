"""IIIF manifests and the level-0 image service, over media the real pipeline made.

A public record in two languages has a restricted photo, a public photo, a
2-second video with Vietnamese captions and an English transcript, and an
audio recording told as an oral testimony. Every manifest is loaded back
into iiif-prezi3's models; what a viewer needs (canvases, sizes, captions,
both languages, rights) is read from them, and every URL they name answers.
"""

import datetime
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, TestCase
from iiif_prezi3 import Manifest
from PIL import Image, ImageDraw
from wagtail.models import Locale

from heritage.access import Access
from heritage.models import Consent, Person, RecordMedia
from heritage.models.records import Licence
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption, MediaAsset, ProcessingState
from tests.factories import make_record
from tests.media_pipeline import mediagen

CAPTIONS_VI = """WEBVTT

00:00:00.000 --> 00:00:01.000
Già làng đánh chiêng mở hội

00:00:01.000 --> 00:00:02.000
Cả bản cùng múa xòe
"""
TRANSCRIPT_EN = """WEBVTT

00:00:00.000 --> 00:00:02.000
The village elder beats the gong to open the festival
"""
TESTIMONY = "Pây tàng mừa bản"
TESTIMONY_VI = "Đi đường về bản"
TESTIMONY_EN = "On the road back to the village"
RIGHTS_HOLDER = "Sở Văn hóa Tuyên Quang"
# Measured for two versions: per version its media (with renditions and captions
# prefetched, never a query per item), the body's chosen snippets (one per block
# type) and a consent check per oral testimony; once the record and its subjects.
MANIFEST_QUERIES = 21


def photo(directory, name, colour, size=(1600, 1000)):
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((100, 100, 700, 500), fill=(255 - colour[0], 90, 30))
    path = directory / f"{name}.jpg"
    image.save(path, "JPEG", quality=85)
    return path


def ingest(path, title):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, title=title).asset
    asset.refresh_from_db()
    assert asset.state == ProcessingState.READY, asset.error
    return asset


def add_caption(asset, language, kind, text, label=""):
    caption = Caption(asset=asset, language=language, kind=kind, label=label)
    caption.file.save(f"{language}.vtt", ContentFile(text.encode()), save=False)
    caption.save()
    return caption


@dataclass
class World:
    record: object
    english: object
    restricted_record: object
    draft: object
    media: dict


def build_world(directory):
    media = {
        "hidden_photo": ingest(photo(directory, "hidden", (200, 30, 30)), "Ảnh hạn chế"),
        "photo": ingest(photo(directory, "photo", (30, 160, 40)), "Ném còn"),
        "video": ingest(
            mediagen.video(directory, "xoe.mp4", size="320x180", duration=2), "Múa xòe"
        ),
        "audio": ingest(mediagen.audio_mp4(directory), "Hát lượn"),
        "elsewhere": ingest(photo(directory, "elsewhere", (30, 40, 200)), "Rừng thiêng"),
        "draft_photo": ingest(photo(directory, "draft", (190, 190, 20)), "Lúa mới"),
    }
    MediaAsset.objects.filter(pk=media["hidden_photo"].pk).update(access=Access.RESTRICTED)
    add_caption(media["video"], "vi", "captions", CAPTIONS_VI, label="Tiếng Việt")
    add_caption(media["video"], "en", "transcript", TRANSCRIPT_EN)
    speaker = Person.objects.create(name="Nông Văn Lư", role="informant")
    Consent.objects.create(
        person=speaker,
        granted_by=speaker.name,
        covers_public_display=True,
        granted_on=datetime.date.today() - datetime.timedelta(days=10),
    )

    def body(translation):
        return [
            ("image", {"asset": media["hidden_photo"], "caption": "", "alt_text": ""}),
            ("image", {"asset": media["photo"], "caption": "", "alt_text": ""}),
            ("video", {"asset": media["video"], "caption": ""}),
            ("audio", {"asset": media["audio"], "caption": ""}),
            (
                "oral_testimony",
                {
                    "speaker": speaker,
                    "recording": media["audio"],
                    "language": "Tày",
                    "transcript": TESTIMONY,
                    "translation": translation,
                },
            ),
        ]

    record = make_record(
        "Lễ hội Lồng Tồng",
        summary="Lễ xuống đồng của người Tày.",
        licence=Licence.CC_BY_SA,
        rights_holder=RIGHTS_HOLDER,
        body=body(TESTIMONY_VI),
    )
    RecordMedia.objects.filter(page=record, asset=media["video"]).update(caption="Múa xòe đầu hội")
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.slug = "Lồng Tồng Festival", "long-tong-festival"
    english.summary = "The Tày people's going-to-the-fields festival."
    english.body = body(TESTIMONY_EN)
    english.save_revision().publish()
    english.refresh_from_db()
    RecordMedia.objects.filter(page=english, asset=media["video"]).update(
        caption="Xòe dance at the opening"
    )
    restricted_record = make_record(
        "Lễ cúng rừng thiêng",
        province="Lào Cai",
        groups=("Hà Nhì",),
        access=Access.RESTRICTED,
        body=[("image", {"asset": media["elsewhere"], "caption": "", "alt_text": ""})],
    )
    draft = make_record(
        "Lễ mừng lúa mới",
        publish=False,
        body=[("image", {"asset": media["draft_photo"], "caption": "", "alt_text": ""})],
    )
    for asset in media.values():
        asset.refresh_from_db()
    return World(record, english, restricted_record, draft, media)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("iiif-media")
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(directory)
        transaction.set_rollback(True)


def local(url):
    """The path of an absolute URL of the site (the test settings' base URL)."""
    assert url.startswith("http://testserver/"), url
    return url.removeprefix("http://testserver")


def fetch_manifest(client, record_id):
    response = client.get(f"/iiif/{record_id}/manifest.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    return data, Manifest(**data)


def canvas_of(manifest, asset):
    return next(c for c in manifest.items if c.id.endswith(f"/canvas/{asset.token}"))


def unwrapped(resources):
    """The bodies of a list the models keep wrapped (iiif-prezi3 unwraps on indexing only)."""
    return [resources[n] for n in range(len(resources))]


def painted(canvas):
    return canvas.items[0].items[0]


def supplementing(canvas):
    return canvas.annotations[0].items if canvas.annotations else []


def test_manifest_has_a_canvas_per_public_item_in_the_record_order(world, db, client):
    data, manifest = fetch_manifest(client, world.record.record_id)
    media = world.media
    tokens = [c.id.rsplit("/", 1)[1] for c in manifest.items]
    assert tokens == [media[key].token for key in ("photo", "video", "audio")]
    assert manifest.id == f"http://testserver/iiif/{world.record.record_id}/manifest.json"
    for canvas in manifest.items:
        annotation = painted(canvas)
        assert annotation.motivation == "painting"
        assert annotation.target == canvas.id
    # Nothing of the restricted photo, not even its token, its title or its id.
    text = json.dumps(data, ensure_ascii=False)
    hidden = media["hidden_photo"]
    assert hidden.token not in text and hidden.title not in text


def test_photo_canvas_paints_the_largest_jpeg_with_a_level0_service(world, db, client):
    _data, manifest = fetch_manifest(client, world.record.record_id)
    canvas = canvas_of(manifest, world.media["photo"])
    assert (canvas.width, canvas.height) == (1280, 800)
    body = painted(canvas).body
    assert (body.type, body.format, body.width, body.height) == ("Image", "image/jpeg", 1280, 800)
    response = client.get(local(body.id))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1280, 800)
    service = body.service[0]
    assert (service.type, service.profile) == ("ImageService3", "level0")
    assert service.id.endswith(f"/iiif/image/{world.media['photo'].token}")


def test_video_canvas_has_duration_mp4_hls_and_captions(world, db, client):
    _data, manifest = fetch_manifest(client, world.record.record_id)
    video = world.media["video"]
    canvas = canvas_of(manifest, video)
    assert canvas.duration == pytest.approx(2, abs=0.2)
    assert (canvas.width, canvas.height) == (320, 180)
    assert canvas.label == {"vi": ["Múa xòe đầu hội"], "en": ["Xòe dance at the opening"]}
    choice = painted(canvas).body
    assert choice.type == "Choice"
    mp4, hls = unwrapped(choice.items)
    assert (mp4.type, mp4.format) == ("Video", "video/mp4")
    assert hls.format == "application/vnd.apple.mpegurl"
    assert client.get(local(mp4.id)).status_code == 200
    playlist = client.get(local(hls.id))
    assert playlist.status_code == 200 and b"#EXTM3U" in playlist.content
    assert client.get(local(canvas.thumbnail[0].id)).status_code == 200  # the poster

    captions = {a.body.language: a for a in supplementing(canvas)}
    assert set(captions) == {"vi", "en"}
    for annotation in captions.values():
        assert annotation.motivation == "supplementing"
        assert annotation.target == canvas.id
        assert (annotation.body.type, annotation.body.format) == ("Text", "text/vtt")
        vtt = client.get(local(annotation.body.id))
        assert vtt.status_code == 200
        assert b"".join(vtt.streaming_content).startswith(b"WEBVTT")
    assert captions["vi"].body.label == {
        "vi": ["Phụ đề: Tiếng Việt"],
        "en": ["Captions / subtitles: Tiếng Việt"],
    }
    assert captions["en"].body.label["en"] == ["Transcript"]


def test_audio_canvas_has_duration_and_the_oral_testimony(world, db, client):
    _data, manifest = fetch_manifest(client, world.record.record_id)
    canvas = canvas_of(manifest, world.media["audio"])
    assert canvas.duration == pytest.approx(3, abs=0.2)
    assert canvas.width is None
    body = painted(canvas).body
    assert (body.type, body.format) == ("Sound", "audio/mp4")
    assert client.get(local(body.id)).status_code == 200
    (testimony,) = supplementing(canvas)
    assert testimony.motivation == "supplementing"
    texts = [(b.value, b.language) for b in unwrapped(testimony.body)]
    assert texts == [(TESTIMONY, None), (TESTIMONY_VI, "vi"), (TESTIMONY_EN, "en")]


def test_manifest_speaks_both_languages_and_states_the_rights(world, db, client):
    _data, manifest = fetch_manifest(client, world.record.record_id)
    assert manifest.label == {"vi": ["Lễ hội Lồng Tồng"], "en": ["Lồng Tồng Festival"]}
    assert manifest.summary == {
        "vi": ["Lễ xuống đồng của người Tày."],
        "en": ["The Tày people's going-to-the-fields festival."],
    }
    assert manifest.rights == "https://creativecommons.org/licenses/by-sa/4.0/"
    statement = manifest.requiredStatement
    assert statement.label == {"vi": ["Quyền"], "en": ["Rights"]}
    assert statement.value == {
        "vi": [f"CC BY-SA 4.0, {RIGHTS_HOLDER}"],
        "en": [f"CC BY-SA 4.0, {RIGHTS_HOLDER}"],
    }
    metadata = {entry.label["en"][0]: entry for entry in manifest.metadata}
    assert metadata["Subject"].label == {"vi": ["Chủ đề"], "en": ["Subject"]}
    assert "Tày" in metadata["Subject"].value["vi"]
    assert set(metadata["Type"].value) == {"vi", "en", "none"}
    assert metadata["Identifier"].value["none"][-1] == world.record.record_id
    assert manifest.homepage[0].id == f"http://testserver/r/{world.record.record_id}/"
    assert client.get(local(manifest.homepage[0].id)).status_code == 302
    assert manifest.seeAlso.root[0].id.endswith(f"/api/v1/records/{world.record.record_id}")
    thumbnail = manifest.thumbnail[0]
    assert thumbnail.width == 320 and client.get(local(thumbnail.id)).status_code == 200


def test_info_json_lists_the_static_sizes_and_each_is_a_jpeg_of_that_width(world, db, client):
    photo = world.media["photo"]
    response = client.get(f"/iiif/image/{photo.token}/info.json")
    assert response.status_code == 200
    info = response.json()
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert (info["type"], info["profile"], info["protocol"]) == (
        "ImageService3",
        "level0",
        "http://iiif.io/api/image",
    )
    assert info["id"] == f"http://testserver/iiif/image/{photo.token}"
    assert (info["width"], info["height"]) == (1280, 800)
    assert info["sizes"] == [
        {"width": 320, "height": 200},
        {"width": 640, "height": 400},
        {"width": 1280, "height": 800},
    ]
    for size in info["sizes"]:
        for form in (f"{size['width']},", f"{size['width']},{size['height']}"):
            response = client.get(f"{local(info['id'])}/full/{form}/0/default.jpg")
            assert response.status_code == 200, form
            assert response["Content-Type"] == "image/jpeg"
            image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
            assert (image.format, image.size) == ("JPEG", (size["width"], size["height"]))
    largest = client.get(f"{local(info['id'])}/full/max/0/default.jpg")
    assert Image.open(io.BytesIO(b"".join(largest.streaming_content))).size == (1280, 800)
    assert client.get(local(info["id"]))["Location"].endswith("/info.json")


def test_a_size_or_region_level0_does_not_have_is_404(world, db, client):
    base = f"/iiif/image/{world.media['photo'].token}"
    for path in (
        "full/500,/0/default.jpg",
        "full/pct:50/0/default.jpg",
        "0,0,10,10/320,/0/default.jpg",
        "full/320,/90/default.jpg",
        "full/320,/0/gray.jpg",
        "full/320,/0/default.png",
    ):
        assert client.get(f"{base}/{path}").status_code == 404, path


def test_restricted_draft_and_unknown_records_are_404_like_a_missing_one(world, db, client):
    missing = client.get("/iiif/vh-nothere/manifest.json")
    assert missing.status_code == 404
    for page in (world.restricted_record, world.draft):
        response = client.get(f"/iiif/{page.record_id}/manifest.json")
        assert (response.status_code, response.content) == (404, missing.content)


def test_officers_get_the_public_manifest_too(world, db):
    # A manifest is the public's, whoever asks: a viewer shares it far away.
    officer = User.objects.create_superuser("iiif-officer", password="x")
    client = Client()
    client.force_login(officer)
    assert client.get(f"/iiif/{world.restricted_record.record_id}/manifest.json").status_code == 404
    _data, manifest = fetch_manifest(client, world.record.record_id)
    assert len(manifest.items) == 3
    hidden = world.media["hidden_photo"]
    assert client.get(f"/iiif/image/{hidden.token}/info.json").status_code == 404


def test_image_urls_of_an_item_the_public_may_not_see_are_404(world, db, client):
    for key in ("hidden_photo", "elsewhere", "draft_photo"):
        base = f"/iiif/image/{world.media[key].token}"
        assert client.get(base).status_code == 404, key
        assert client.get(f"{base}/info.json").status_code == 404, key
        assert client.get(f"{base}/full/max/0/default.jpg").status_code == 404, key
        assert client.get(f"{base}/full/320,/0/default.jpg").status_code == 404, key
    assert client.get("/iiif/image/not-a-token/info.json").status_code == 404
    assert client.get("/iiif/image/%00/info.json").status_code == 404


def test_a_manifest_needs_no_query_per_rendition_or_caption(
    world, db, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MANIFEST_QUERIES):
        fetch_manifest(client, world.record.record_id)


def test_record_page_links_its_manifest_only_when_public(world, db, client):
    html = client.get(world.record.url).content.decode()
    assert f'href="/iiif/{world.record.record_id}/manifest.json"' in html
    officer = User.objects.create_superuser("iiif-reader", password="x")
    client.force_login(officer)
    html = client.get(world.restricted_record.url).content.decode()
    assert "/iiif/" not in html
