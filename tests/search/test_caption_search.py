"""Words spoken in a record's visible media (WebVTT captions) find it and link to their moment.

Captions of media a visitor may not see (restricted, no consent) are never indexed.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

from heritage.models import RecordMedia
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption
from search.documents import index_record
from search.models import RecordSearchDocument
from tests.factories import make_record
from tests.media_pipeline import mediagen
from tests.search.elasticsearch_fake import (  # noqa: F401
    es_settings_fixture,
    fake_es_fixture,
)
from tests.search.test_elasticsearch_backend import _last_document

CAPTION_FIELD = "heritage_recordpage__caption_text"

pytestmark = pytest.mark.django_db

VTT = """WEBVTT

00:00:00.000 --> 00:00:01.500
Mở đầu buổi lễ

00:00:12.500 --> 00:00:15.000
Thầy cúng gọi hồn lúa về nhà
"""


def record_with_captioned_recording(source, title="Lễ mừng lúa mới", **asset_fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(source, title="Bài cúng").asset
    asset.refresh_from_db()
    for name, value in asset_fields.items():
        setattr(asset, name, value)
    asset.save()
    caption = Caption(asset=asset, language="vi", kind="captions")
    caption.file.save("vi.vtt", ContentFile(VTT.encode()), save=False)
    caption.save()
    page = make_record(title, summary="Lễ của người Tày.")
    RecordMedia.objects.create(page=page, asset=asset)
    index_record(page.record_id)
    return page


def test_caption_words_find_the_record_and_link_to_the_cue(client, archive, work_dirs, tiny):
    page = record_with_captioned_recording(tiny["wav"])
    document = RecordSearchDocument.objects.get(page=page)
    assert "goi hon lua" in document.body_folded
    assert document.moments[1] == [12.5, "thay cung goi hon lua ve nha"]
    html = client.get("/search/", {"q": "gọi hồn lúa"}).content.decode()
    assert page.title in html
    assert f'href="{page.url}#t=12.5"' in html
    # A word of the summary alone finds the record without a moment to link to.
    html = client.get("/search/", {"q": "Tày"}).content.decode()
    assert page.title in html and "#t=" not in html


def test_restricted_media_captions_are_never_indexed(client, archive, work_dirs, tiny):
    page = record_with_captioned_recording(tiny["wav"], title="Lễ cấp sắc", access="restricted")
    document = RecordSearchDocument.objects.get(page=page)
    assert "hon lua" not in document.body_folded
    assert "goi" not in document.snippet_text.lower()
    assert document.moments == []
    assert page.caption_text() == ""
    html = client.get("/search/", {"q": "gọi hồn lúa"}).content.decode()
    assert page.title not in html


def test_elasticsearch_document_carries_visible_captions_only(
    archive, work_dirs, tiny, tmp_path, fake_es, es_settings, django_capture_on_commit_callbacks
):
    visible = record_with_captioned_recording(tiny["wav"])
    other = mediagen.tone_wav(tmp_path, "other.wav", -20.0)
    hidden = record_with_captioned_recording(other, title="Lễ cúng rừng", access="restricted")
    for page in (visible, hidden):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
    assert "gọi hồn lúa" in _last_document(fake_es, visible)[CAPTION_FIELD]
    assert not _last_document(fake_es, hidden).get(CAPTION_FIELD)


NEW_VTT = """WEBVTT

00:00:03.000 --> 00:00:05.000
Tiếng chiêng đồng vang khắp bản
"""


def test_a_caption_added_after_indexing_is_found(client, archive, work_dirs, tiny):
    page = record_with_captioned_recording(tiny["wav"])
    asset = page.media_links.get().asset
    assert page.title not in client.get("/search/", {"q": "chiêng đồng"}).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        caption = Caption(asset=asset, language="en", kind="transcript")
        caption.file.save("en.vtt", ContentFile(NEW_VTT.encode()), save=False)
        caption.save()
    html = client.get("/search/", {"q": "chiêng đồng"}).content.decode()
    assert page.title in html
    assert f'href="{page.url}#t=3"' in html


def test_a_replaced_or_deleted_caption_leaves_the_search(client, archive, work_dirs, tiny):
    page = record_with_captioned_recording(tiny["wav"])
    caption = Caption.objects.get(asset=page.media_links.get().asset)
    with TestCase.captureOnCommitCallbacks(execute=True):
        caption.file.save("vi-2.vtt", ContentFile(NEW_VTT.encode()), save=False)
        caption.text = ""
        caption.save()
    assert page.title in client.get("/search/", {"q": "chiêng đồng"}).content.decode()
    assert page.title not in client.get("/search/", {"q": "thầy cúng gọi hồn"}).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        caption.delete()
    assert page.title not in client.get("/search/", {"q": "chiêng đồng"}).content.decode()


def test_a_page_indexes_the_transcript_it_shows_in_its_own_language(
    client, archive, work_dirs, tiny
):
    page = record_with_captioned_recording(tiny["wav"])
    asset = page.media_links.get().asset
    with TestCase.captureOnCommitCallbacks(execute=True):
        caption = Caption(asset=asset, language="en", kind="captions")
        caption.file.save("en.vtt", ContentFile(b"WEBVTT\n\n00:01.000 --> 00:02.000\nGongs\n"))
    document = RecordSearchDocument.objects.get(page=page)
    assert "gongs" not in document.body_folded.lower()
    assert "goi hon lua" in document.body_folded
    html = client.get("/search/", {"q": "thầy cúng"}).content.decode()
    assert "Gongs" not in html


def test_a_caption_repeated_elsewhere_in_the_record_is_indexed_once(archive, work_dirs, tiny):
    page = record_with_captioned_recording(tiny["wav"])
    page.media_links.update(caption="Lễ của người Tày.")  # the summary's words again
    index_record(page.record_id)
    document = RecordSearchDocument.objects.get(page=page)
    assert document.body_folded.count("le cua nguoi tay") == 1
    assert document.snippet_text.count("Lễ của người Tày.") == 1
