"""The record page's media markup: HLS player, tracks, transcript, lightbox.

Scripts come only where media need them.
"""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.models import Locale

from heritage.models import RecordMedia
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption
from tests.factories import make_record
from tests.media_pipeline.helpers import jpeg_with_exif, link_to_public_record, scripts_that_run

pytestmark = pytest.mark.django_db

VTT_VI = """WEBVTT

00:00:00.000 --> 00:00:00.500
Tiếng chiêng mở hội

00:00:00.500 --> 00:00:01.000
<v Già làng>Cầu mùa màng tốt tươi
"""
VTT_EN = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nThe gongs open the festival\n"


def ingest(path, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, **kwargs).asset
    asset.refresh_from_db()
    return asset


def add_caption(asset, language, text, kind="captions", label=""):
    caption = Caption(asset=asset, language=language, kind=kind, label=label)
    caption.file.save(f"{language}.vtt", ContentFile(text.encode()), save=False)
    caption.save()
    return caption


def test_video_offers_hls_mp4_tracks_thumbnails_and_its_transcript(
    client, archive, work_dirs, tiny
):
    video = ingest(tiny["video"], title="Múa xòe")
    add_caption(video, "vi", VTT_VI, label="Tiếng Việt")
    add_caption(video, "en", VTT_EN, label="English")
    page = link_to_public_record(video)
    html = client.get(page.url).content.decode()
    player = re.search(r'<div class="player player-video".*?</video>', html, re.S).group(0)
    hls = re.search(r'data-hls="([^"]+)"', player).group(1)
    assert hls.endswith("/hls/master.m3u8")
    assert client.get(hls)["Content-Type"] == "application/vnd.apple.mpegurl"
    assert re.search(r'<video [^>]*src="[^"]+\.mp4"', player)  # the fallback without JS
    assert re.search(r'<video [^>]*width="\d+" height="\d+"', player)  # no layout shift
    assert 'data-audio-only="' in player
    tracks = re.findall(r"<track [^>]*>", player)
    captions = [t for t in tracks if 'kind="captions"' in t]
    assert [re.search(r'srclang="(\w+)"', t).group(1) for t in captions] == ["vi", "en"]
    assert " default" in captions[0] and " default" not in captions[1]
    thumbnails = next(t for t in tracks if 'kind="metadata"' in t)
    vtt = client.get(re.search(r'src="([^"]+)"', thumbnails).group(1))
    assert vtt.status_code == 200 and b"thumbnails.jpg#xywh=" in b"".join(vtt.streaming_content)
    for track in captions:
        assert client.get(re.search(r'src="([^"]+)"', track).group(1)).status_code == 200
    # Our seek bar, for the thumbnail previews, named in the page's language;
    # its length is known before the video's metadata (preload="none").
    seek = re.search(r'<div class="player-seek" hidden>.*?<input type="range"[^>]*>', html, re.S)
    assert seek, "a video with a thumbnail track gets the seek bar"
    assert 'aria-label="Vị trí trong video"' in seek.group(0)
    assert f'max="{video.duration:.3f}"' in seek.group(0)
    # The transcript beside it: the page language's captions, each line a link to its moment.
    assert '<a href="#t=0.5" data-start="0.5" data-end="1">' in html
    assert "Cầu mùa màng tốt tươi" in html and "The gongs" not in html.split("transcript")[-1]
    assert re.search(
        r'<script src="[^"]*media_pipeline/player[^"]*\.js"'
        r' data-hls="[^"]*hls\.light\.min[^"]*\.js" defer>',
        html,
    )
    assert "lightbox" not in html  # no photo, no lightbox


def test_video_without_thumbnail_track_has_no_seek_bar(client, archive, work_dirs, tiny):
    video = ingest(tiny["video"], title="Múa xòe")
    video.renditions.filter(kind="thumbnails").delete()
    html = client.get(link_to_public_record(video).url).content.decode()
    assert 'kind="metadata"' not in html
    assert "player-seek" not in html
    assert "<video " in html


def test_english_page_reads_the_english_transcript(client, archive, work_dirs, tiny):

    video = ingest(tiny["video"], title="Múa xòe")
    add_caption(video, "vi", VTT_VI)
    add_caption(video, "en", VTT_EN)
    page = link_to_public_record(video)
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    html = client.get(english.url).content.decode()
    lines = re.search(r'<ol class="transcript-lines".*?</ol>', html, re.S).group(0)
    assert "The gongs open the festival" in lines and "chiêng" not in lines


def test_save_data_starts_at_the_smallest_rung(client, archive, work_dirs, tiny):
    page = link_to_public_record(ingest(tiny["video"], title="Múa xòe"))
    assert "data-save-data" not in client.get(page.url).content.decode()
    assert "data-save-data" in client.get(page.url, HTTP_SAVE_DATA="on").content.decode()


def test_audio_has_its_waveform_slider(client, archive, work_dirs, tiny):
    audio = ingest(tiny["wav"], title="Hát then")
    page = link_to_public_record(audio)
    html = client.get(page.url).content.decode()
    waveform = re.search(r'data-waveform="([^"]+)"', html).group(1)
    data = json.loads(b"".join(client.get(waveform).streaming_content))
    assert data["peaks"] and data["duration"] > 0
    assert re.search(r'<div class="waveform" role="slider" tabindex="0" aria-label="[^"]+"', html)
    assert "media_pipeline/player" in html


def test_photos_open_full_size_with_caption_and_credit(client, archive, work_dirs, tmp_path):
    photo = ingest(jpeg_with_exif(tmp_path / "p.jpg", size=(1400, 900)), title="Ném còn")
    photo.recorded_by = "Nguyễn Văn A"
    photo.save()
    page = make_record("Lễ hội Lồng Tồng")
    RecordMedia.objects.create(page=page, asset=photo, caption="Quả còn bay qua vòng")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    link = re.search(r'<a class="lightbox-link" href="([^"]+)"[^>]*>', html)
    assert link, "a photo links to its full size"
    assert 'data-caption="Quả còn bay qua vòng"' in link.group(0)
    assert "Nguyễn Văn A" in link.group(0)
    assert client.get(link.group(1))["Content-Type"] == "image/jpeg"
    assert "<figcaption>Quả còn bay qua vòng" in html  # the officer's caption shows
    assert '<dialog class="lightbox"' in html
    assert re.search(r'<script src="[^"]*media_pipeline/lightbox[^"]*\.js" defer>', html)
    assert "media_pipeline/player" not in html  # no video or audio: no player script


def test_a_photo_credit_reads_in_the_page_language(client, archive, work_dirs, tmp_path):
    photo = ingest(jpeg_with_exif(tmp_path / "p.jpg"), title="Ném còn")
    photo.recorded_by = "Nhóm khảo sát điền dã tỉnh"
    photo.recorded_by_en = "Provincial field-survey team"
    photo.save()
    page = make_record("Lễ hội Lồng Tồng")
    RecordMedia.objects.create(page=page, asset=photo)
    page.save_revision().publish()
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    vietnamese_html = client.get(page.url).content.decode()
    english_html = client.get(english.url).content.decode()
    assert "Người ghi: Nhóm khảo sát điền dã tỉnh" in vietnamese_html
    assert "Recorded by Provincial field-survey team" in english_html
    assert "Nhóm khảo sát" not in english_html


def test_a_record_without_media_has_no_script_at_all(client, archive):
    page = make_record("Lễ cấp sắc", summary="Không có tư liệu.")
    html = client.get(page.url).content.decode()
    assert scripts_that_run(html) == []
    assert '<script type="application/ld+json">' in html
