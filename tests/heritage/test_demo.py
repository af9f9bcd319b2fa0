"""The demo loader builds a believable archive, and every public page of it answers."""

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, WorkflowState

from heritage.access import Access
from heritage.demo import demo_record_id
from heritage.demo_content import MEDIA, RECORDS, STORIES
from heritage.models import EthnicGroup, Person, RecordPage, StoryPage
from media_pipeline.models import MediaAsset
from search.documents import index_record

RESTRICTED_KEY = "cap-sac-bi-truyen"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded twice (it must be idempotent) once for the module, then rolled back."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", "--no-media-processing", "--admin-password", "pw-1")
            counts = (
                RecordPage.objects.count(),
                MediaAsset.objects.count(),
                Person.objects.count(),
            )
            call_command("load_demo", "--no-media-processing", "--admin-password", "pw-1")
            yield counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def restricted_titles():
    return list(
        RecordPage.objects.filter(record_id=demo_record_id(RESTRICTED_KEY)).values_list(
            "title", flat=True
        )
    )


@pytest.mark.slow
def test_demo_is_idempotent_and_big_enough(db, demo):
    assert demo == (
        RecordPage.objects.count(),
        MediaAsset.objects.count(),
        Person.objects.count(),
    )
    live_vi = RecordPage.objects.live().filter(locale__language_code="vi")
    assert live_vi.count() >= 15
    assert RecordPage.objects.live().filter(locale__language_code="en").count() >= 15
    assert EthnicGroup.objects.filter(records__in=live_vi).distinct().count() >= 8
    assert live_vi.values("province").distinct().count() >= 6
    assert live_vi.exclude(province_as_recorded__is_current=True).exists()
    assert MediaAsset.objects.filter(media_type="video").count() >= 2
    assert MediaAsset.objects.filter(media_type="audio").count() >= 2
    draft = RecordPage.objects.get(
        record_id=demo_record_id("roong-pooc"), locale__language_code="vi"
    )
    assert not draft.live
    assert WorkflowState.objects.filter(
        object_id=str(draft.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


@pytest.mark.slow
def test_every_public_page_answers(client, db, demo):
    restricted = set(
        RecordPage.objects.filter(record_id=demo_record_id(RESTRICTED_KEY)).values_list(
            "pk", flat=True
        )
    )
    pages = Page.objects.live().exclude(depth=1).specific()
    assert pages.count() > 80
    for page in pages:
        expected = 404 if page.pk in restricted else 200
        assert client.get(page.url).status_code == expected, page.url
    for group in EthnicGroup.objects.all():
        for prefix in ("", "/en"):
            assert client.get(f"{prefix}/ethnic-groups/{group.slug}/").status_code == 200
    for prefix in ("", "/en"):
        assert client.get(f"{prefix}/ethnic-groups/").status_code == 200
    for spec in RECORDS:
        response = client.get(f"/r/{demo_record_id(spec['key'])}/", follow=True)
        expected = 200 if spec["publish"] is True and spec["key"] != RESTRICTED_KEY else 404
        assert response.status_code == expected, spec["key"]


@pytest.mark.slow
def test_restricted_record_appears_nowhere_for_visitors(client, db, demo):
    titles = restricted_titles()
    assert len(titles) == 2
    restricted_vi = RecordPage.objects.get(
        record_id=demo_record_id(RESTRICTED_KEY), locale__language_code="vi"
    )
    urls = [
        "/",
        "/en/",
        restricted_vi.get_parent().url,
        "/en" + restricted_vi.get_parent().url,
        "/ethnic-groups/",
        "/ethnic-groups/dao/",
        "/en/ethnic-groups/dao/",
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for title in titles:
            assert title not in body, (url, title)
        assert restricted_vi.slug not in body, url


@pytest.mark.slow
def test_informant_without_public_consent_stays_hidden(client, db, demo):
    gau_tao = RecordPage.objects.get(
        record_id=demo_record_id("gau-tao"), locale__language_code="vi"
    )
    body = client.get(gau_tao.url).content.decode()
    assert "Giàng A Páo" not in body
    assert "Lời khấn Gầu Tào" not in body  # his recording
    assert "Cây nêu Gầu Tào" in body


@pytest.mark.slow
def test_demo_stories_exist_once_in_both_languages_and_answer(client, db, demo):
    for spec in STORIES:
        versions = StoryPage.objects.live().filter(
            title__in=[spec["vi"]["title"], spec["en"]["title"]]
        )
        assert sorted(s.locale.language_code for s in versions) == ["en", "vi"], spec["key"]
        vi, en = sorted(versions, key=lambda s: s.locale.language_code != "vi")
        assert vi.translation_key == en.translation_key
        assert vi.url.startswith("/cau-chuyen/") and en.url.startswith("/en/stories/")
        for story, lang in ((vi, "vi"), (en, "en")):
            body = client.get(story.url).content.decode()
            assert spec[lang]["title"] in body
            for chapter in spec["chapters"]:
                assert chapter[lang]["heading"] in body, (story.url, chapter[lang]["heading"])
                for key in chapter["records"]:
                    record = RecordPage.objects.get(
                        record_id=demo_record_id(key), locale__language_code=lang
                    )
                    assert f'href="{record.url}"' in body, (story.url, key)
    for prefix in ("", "/en"):
        home = client.get(f"{prefix}/").content.decode()
        for spec in STORIES:
            assert spec["en" if prefix else "vi"]["title"] in home, prefix


@pytest.mark.slow
def test_a_demo_story_leaves_out_a_media_item_no_longer_public(client, db, demo):
    """Loaded without processing, the items are not ready; one made restricted disappears."""

    spec = STORIES[0]
    key = next(k for chapter in spec["chapters"] for k in chapter["media"])
    asset = MediaAsset.objects.get(title=MEDIA[key][1])
    story = StoryPage.objects.get(title=spec["vi"]["title"])
    assert MEDIA[key][1] in client.get(story.url).content.decode()
    MediaAsset.objects.filter(pk=asset.pk).update(access=Access.RESTRICTED)
    body = client.get(story.url).content.decode()
    assert MEDIA[key][1] not in body
    assert spec["chapters"][0]["vi"]["heading"] in body  # the rest of the story stays


@pytest.mark.slow
def test_demo_captions_exist_once_and_their_words_find_the_record(client, db, demo):
    longtong = MediaAsset.objects.get(title=MEDIA["longtong-video"][1])
    then = MediaAsset.objects.get(title=MEDIA["then-audio"][1])
    assert sorted(longtong.captions.values_list("language", "kind")) == [
        ("en", "captions"),
        ("vi", "captions"),
    ]
    assert list(then.captions.values_list("language", "kind")) == [("vi", "transcript")]
    record = RecordPage.objects.get(
        record_id=demo_record_id("long-tong"), locale__language_code="vi"
    )
    index_record(record.record_id)  # the fixture's transaction never commits
    html = client.get("/search/", {"q": "khiêng kiệu"}).content.decode()
    assert f'href="{record.url}#t=0"' in html
