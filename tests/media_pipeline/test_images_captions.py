"""Photo renditions (orientation, EXIF/GPS stripped, bombs, truncation) and WebVTT captions."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image, features

from media_pipeline import images
from media_pipeline.captions import WebVTTError, cue_text, parse_webvtt
from media_pipeline.errors import BadMediaInput
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption, ProcessingState
from tests.media_pipeline.helpers import (
    jpeg_with_exif,
    link_to_public_record,
    png_bomb,
    truncated_jpeg,
)

VTT = (
    "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Bà Then>Xin chào</v>\n\nNOTE note\n\n"
    "2\n00:00:01.000 --> 00:00:02.000\nhát then\n"
)


def test_renditions_are_upright_and_carry_no_exif(tmp_path):
    src = jpeg_with_exif(tmp_path / "phone.jpg", size=(800, 600), orientation=6)
    renditions = images.make_renditions(src, tmp_path / "out")
    formats = {r.name.split("-")[0] for r in renditions}
    assert formats == ({"webp", "avif", "jpeg"} if features.check("avif") else {"webp", "jpeg"})
    assert {r.width for r in renditions} == {320, 600}  # never upscaled past the source
    for r in renditions:
        with Image.open(tmp_path / "out" / r.path) as img:
            assert img.size == (r.width, r.height)
            assert img.height > img.width  # the 90° turn was applied to the pixels
            assert not img.getexif()
            assert "exif" not in img.info and "xmp" not in img.info
        assert b"PhoneMaker" not in (tmp_path / "out" / r.path).read_bytes()


def test_bomb_and_truncated_photos_get_clear_errors(tmp_path):
    with pytest.raises(BadMediaInput, match="decompression bomb"):
        images.identify(png_bomb(tmp_path / "bomb.png"))
    broken = truncated_jpeg(tmp_path / "broken.jpg")
    assert images.identify(broken)["width"] == 640
    with pytest.raises(BadMediaInput, match="incomplete or damaged"):
        images.make_renditions(broken, tmp_path / "out")


@pytest.mark.django_db
def test_photo_pipeline_and_bad_photos(client, archive, work_dirs, tmp_path):
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = ingest_file(jpeg_with_exif(tmp_path / "p.jpg")).asset
        bomb = ingest_file(png_bomb(tmp_path / "bomb.png")).asset
        broken = ingest_file(truncated_jpeg(tmp_path / "t.jpg")).asset
    for asset in (photo, bomb, broken):
        asset.refresh_from_db()
    assert photo.state == ProcessingState.READY and photo.media_type == "image"
    assert photo.width == 600 and photo.height == 800 and photo.probe["rotation"] == 90
    assert bomb.state == ProcessingState.FAILED and "bomb" in bomb.error
    assert broken.state == ProcessingState.FAILED and broken.error
    link_to_public_record(photo)
    response = client.get(photo.rendition("webp-320").url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


def test_webvtt_validation_and_text():
    assert len(parse_webvtt(VTT)) == 2
    assert cue_text(VTT.encode()) == "Xin chào\nhát then"
    for bad in ("", "hello", "WEBVTT\n\n00:00 --> 00:01\nx\n", "WEBVTT\n\nno timing\n"):
        with pytest.raises(WebVTTError):
            parse_webvtt(bad)


@pytest.mark.django_db
def test_an_officer_uploads_a_caption_in_the_admin(client, officer, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["wav"]).asset
    client.force_login(officer)
    response = client.post(
        reverse("wagtailsnippets_media_pipeline_caption:add"),
        {
            "asset": asset.pk,
            "language": "vi",
            "kind": "captions",
            "file": SimpleUploadedFile("phu-de.vtt", VTT.encode(), "text/vtt"),
        },
    )
    assert response.status_code == 302
    caption = Caption.objects.get(asset=asset)
    assert "hát then" in caption.text
    with caption.file.open("rb") as stored:
        assert stored.read() == VTT.encode()


@pytest.mark.django_db
def test_caption_attached_and_served(client, archive, work_dirs, tiny):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["wav"]).asset
    caption = Caption(asset=asset, language="vi", kind="captions")
    caption.file.save("x.vtt", ContentFile(VTT.encode()), save=False)
    caption.full_clean()
    caption.save()
    assert "hát then" in caption.text
    bad = Caption(asset=asset, language="en")
    bad.file.save("y.vtt", ContentFile(b"not a caption"), save=False)
    with pytest.raises(ValidationError):
        bad.full_clean()
    assert client.get(caption.url).status_code == 404
    link_to_public_record(asset)
    response = client.get(caption.url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vtt")
