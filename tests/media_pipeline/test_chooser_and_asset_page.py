"""Attaching media: the chooser an officer picks from, and the asset's own page."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from media_pipeline.ingest import ingest_file
from media_pipeline.models import AssetAccess, MediaAsset
from tests.factories import team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text
from tests.media_pipeline import mediagen

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_media_pipeline_mediaasset:choose_results"
STORAGE_PATHS = re.compile(r"\b(?:masters|renditions)/")


def processed(team, path, title, **details):
    """A media item of the team's collection, processed as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, title=title, collection=team.collection, details=details).asset
    asset.refresh_from_db()
    assert asset.state == "ready", asset.error
    return asset


def photo(path, colour):
    Image.new("RGB", (480, 320), colour).save(path, "JPEG")
    return path


@pytest.fixture
def lao_cai_editor(archive):
    return team_member(archive["Lào Cai"], "editors", "laocai-editor")


@pytest.fixture
def media(archive, work_dirs, tiny):
    lao_cai, tuyen_quang = archive["Lào Cai"], archive["Tuyên Quang"]
    return {
        "photo": processed(lao_cai, photo(work_dirs / "cho.jpg", (200, 30, 30)), "Chợ phiên"),
        "song": processed(lao_cai, tiny["wav"], "Hát then Lào Cai"),
        "other": processed(
            tuyen_quang,
            photo(work_dirs / "tq.jpg", (30, 200, 30)),
            "Ảnh Tuyên Quang",
            access=AssetAccess.RESTRICTED,
        ),
    }


def chooser(client, **params):
    response = client.get(reverse(CHOOSE), params)
    assert response.status_code == 200
    return response.content.decode()


def titles_in(html):
    return [a.title for a in MediaAsset.objects.order_by("-created_at") if a.title in html]


def test_the_chooser_filters_by_type_with_thumbnails_of_the_teams_media(
    client, media, lao_cai_editor
):
    client.force_login(lao_cai_editor)
    everything = chooser(client)
    # Own team's only, newest first, with the state in words.
    assert titles_in(everything) == ["Hát then Lào Cai", "Chợ phiên"]
    assert everything.index("Hát then Lào Cai") < everything.index("Chợ phiên")
    assert "Sẵn sàng: " in visible_text(everything)

    photos = chooser(client, media_type="image")
    assert titles_in(photos) == ["Chợ phiên"]
    thumbnails = re.findall(r'<img class="media-thumbnail" src="([^"]+)"', photos)
    assert len(thumbnails) == 1
    assert thumbnails[0].startswith(f"/files/{media['photo'].token}/")
    assert client.get(thumbnails[0]).status_code == 200
    assert not STORAGE_PATHS.search(everything)

    assert titles_in(chooser(client, media_type="audio")) == ["Hát then Lào Cai"]
    assert titles_in(chooser(client, media_type="video")) == []
    assert titles_in(chooser(client, media_type="image", q="phiên")) == ["Chợ phiên"]


def test_the_chooser_modal_offers_the_media_type_filter_in_vietnamese(
    client, media, lao_cai_editor
):
    client.force_login(lao_cai_editor)
    response = client.get(reverse("wagtailsnippetchoosers_media_pipeline_mediaasset:choose"))
    html = response.json()["html"]
    assert 'name="media_type"' in html
    text = visible_text(html, include_hidden=True)
    assert "Loại tư liệu" in text and "Hình ảnh" in text
    assert english_leftovers(text) == []


def edit_page(client, asset):
    edit = reverse("wagtailsnippets_media_pipeline_mediaasset:edit", args=[asset.pk])
    response = client.get(edit)
    assert response.status_code == 200
    return response.content.decode()


def test_the_photo_page_previews_the_photo_and_hides_storage_paths(client, media, lao_cai_editor):
    client.force_login(lao_cai_editor)
    html = edit_page(client, media["photo"])
    preview = re.search(r'<img class="media-preview__image" src="([^"]+)"', html)
    assert preview and client.get(preview.group(1)).status_code == 200
    assert not STORAGE_PATHS.search(html)
    text = visible_text(html)
    count = media["photo"].renditions.count()
    assert f"Sẵn sàng: {count} bản hiển thị" in text
    # Nothing on the page contradicts it: no heading or column saying "processing".
    assert "Đang xử lý" not in text and "Lỗi" not in text
    assert english_leftovers(text) == []


def test_the_recording_page_plays_it(client, media, lao_cai_editor):
    client.force_login(lao_cai_editor)
    html = edit_page(client, media["song"])
    player = re.search(r'<audio class="media-preview__audio" [^>]*src="([^"]+)"', html)
    assert player and client.get(player.group(1)).status_code in (200, 206)
    assert not STORAGE_PATHS.search(html)


def test_the_video_page_shows_poster_and_player(client, archive, work_dirs, lao_cai_editor):
    clip = mediagen.video(work_dirs, "xoe.mp4", size="320x180", duration=1)
    asset = processed(archive["Lào Cai"], clip, "Múa xòe")
    client.force_login(lao_cai_editor)
    html = edit_page(client, asset)
    video = re.search(r'<video class="media-preview__video"[^>]*>', html).group(0)
    poster, src = re.search(r'poster="([^"]+)"', video), re.search(r'src="([^"]+)"', video)
    assert poster and src and ".mp4" in src.group(1)
    assert client.get(poster.group(1)).status_code == 200
    assert not STORAGE_PATHS.search(html)


def test_a_failed_asset_says_so_in_one_sentence(client, archive, work_dirs, tiny, lao_cai_editor):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(
            tiny["truncated"], title="Hỏng", collection=archive["Lào Cai"].collection
        ).asset
    asset.refresh_from_db()
    assert asset.state == "failed"
    client.force_login(lao_cai_editor)
    text = visible_text(edit_page(client, asset))
    assert f"Lỗi: {asset.error}" in text
    assert "Sẵn sàng" not in text
