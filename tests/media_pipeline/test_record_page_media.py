"""A record page shows its processed media to visitors: responsive pictures, playable video."""

import re

import pytest
from django.test import TestCase

from media_pipeline.ingest import ingest_file
from tests.media_pipeline.helpers import jpeg_with_exif, link_to_public_record

pytestmark = pytest.mark.django_db


def ingest(path, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, **kwargs).asset
    asset.refresh_from_db()
    return asset


def test_record_page_offers_avif_webp_and_jpeg_and_each_url_serves(
    client, archive, work_dirs, tmp_path
):
    photo = ingest(jpeg_with_exif(tmp_path / "photo.jpg", size=(1400, 900)), title="Ném còn")
    page = link_to_public_record(photo)
    html = client.get(page.url).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert 'type="image/webp"' in picture
    assert re.search(r'<img src="[^"]+\.jpg"', picture)
    urls = set(re.findall(r"(/files/[^\s\"]+)", picture))
    assert len(urls) >= 6  # several widths in each format
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")


def test_record_page_plays_the_video_with_its_poster(client, archive, work_dirs, tiny):
    video = ingest(tiny["video"], title="Múa xòe")
    page = link_to_public_record(video)
    html = client.get(page.url).content.decode()
    tag = re.search(r"<video[^>]*>", html).group(0)
    src = re.search(r'src="([^"]+)"', tag).group(1)
    poster = re.search(r'poster="([^"]+)"', tag).group(1)
    assert src.endswith(".mp4") and poster.endswith(".jpg")
    assert client.get(src).status_code == 200
    assert client.get(poster)["Content-Type"] == "image/jpeg"
