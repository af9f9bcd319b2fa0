"""Stories: their place in the tree, their team, the media they may show, and what they show."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Workflow

from heritage.access import Access
from heritage.blocks import StoryMediaChooserBlock
from heritage.curation import (
    EXHIBITION_EDITORS,
    EXHIBITION_REVIEWERS,
    STORY_WORKFLOW,
    set_up_archive,
)
from heritage.models import (
    Consent,
    Person,
    Province,
    RecordMedia,
    StoryIndexPage,
    StoryPage,
    Team,
)
from heritage.models.stories import exhibition_media
from tests.factories import make_record, make_story, ready_photo


def on_record(asset, record):
    RecordMedia.objects.create(page=record, asset=asset)
    return asset


def record_chapter(record, note=""):
    return ("record", {"record": record, "note": note})


def media_chapter(asset, caption=""):
    return ("media", {"asset": asset, "caption": caption, "alt_text": ""})


@pytest.fixture
def exhibition(archive):
    editors = Group.objects.get(name=EXHIBITION_EDITORS)
    reviewers = Group.objects.get(name=EXHIBITION_REVIEWERS)
    editor = User.objects.create_user("trien-lam-bien-tap")
    editor.groups.add(editors)
    reviewer = User.objects.create_user("trien-lam-duyet")
    reviewer.groups.add(reviewers)
    return {"editor": editor, "reviewer": reviewer}


# --- set-up -------------------------------------------------------------------------


def test_setup_gives_each_language_a_story_index_with_its_own_workflow(archive):
    vi = StoryIndexPage.objects.get(locale__language_code="vi")
    en = StoryIndexPage.objects.get(locale__language_code="en")
    assert vi.translation_key == en.translation_key
    assert (vi.url, en.url) == ("/cau-chuyen/", "/en/stories/")
    for index in (vi, en):
        assert index.get_workflow().name == STORY_WORKFLOW
    (task,) = Workflow.objects.get(name=STORY_WORKFLOW).tasks.specific()
    assert list(task.groups.values_list("name", flat=True)) == [EXHIBITION_REVIEWERS]


def test_exhibition_groups_hold_rights_on_the_story_indexes_only(archive):
    for name, publishes in ((EXHIBITION_EDITORS, False), (EXHIBITION_REVIEWERS, True)):
        rights = GroupPagePermission.objects.filter(group__name=name)
        assert {r.page.specific_class for r in rights} == {StoryIndexPage}
        codenames = set(rights.values_list("permission__codename", flat=True))
        assert ("publish_page" in codenames) is publishes
        assert not Group.objects.get(name=name).collection_permissions.exists()
    # Province teams have no rights on stories.
    team = Team.objects.get(province__name_vi="Lào Cai")
    for group in (team.editors, team.reviewers):
        pages = GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)
        assert not StoryIndexPage.objects.filter(pk__in=pages).exists()


def test_setting_up_again_adds_nothing(archive):
    def counts():
        return (
            StoryIndexPage.objects.count(),
            Group.objects.filter(name__in=[EXHIBITION_EDITORS, EXHIBITION_REVIEWERS]).count(),
            GroupPagePermission.objects.count(),
            Workflow.objects.filter(name=STORY_WORKFLOW).count(),
        )

    before = counts()
    set_up_archive(provinces=Province.objects.filter(name_vi="Lào Cai"))
    assert counts() == before == (2, 2, before[2], 1)


# --- the media a story may show ---------------------------------------------------------


def test_a_story_may_show_only_media_every_visitor_may_see_ready_and_without_warning(archive):
    public, restricted = (
        make_record("Lễ hội công khai"),
        make_record("Lễ hạn chế", access=Access.RESTRICTED),
    )
    shown = on_record(ready_photo("Ảnh công khai"), public)
    hidden = {
        "restricted item": on_record(ready_photo("Ảnh hạn chế", access=Access.RESTRICTED), public),
        "on a restricted record": on_record(ready_photo("Ảnh của hồ sơ hạn chế"), restricted),
        "on no record": ready_photo("Ảnh chưa gắn"),
        "sensitive": on_record(
            ready_photo("Ảnh nhạy cảm", sensitivity_warning="Hình người đã khuất"), public
        ),
        "not ready": on_record(ready_photo("Ảnh đang xử lý", state="processing"), public),
        "no consent": on_record(ready_photo("Ảnh không có đồng ý"), public),
    }
    person = Person.objects.create(name="Giàng A Páo", role="informant")
    Consent.objects.create(
        person=person,
        granted_by=person.name,
        covers_public_display=False,
        granted_on=datetime.date(2024, 1, 1),
    )
    hidden["no consent"].people.add(person)
    assert list(exhibition_media()) == [shown]
    block = StoryMediaChooserBlock()
    assert block.clean(shown) == shown
    for why, asset in hidden.items():
        with pytest.raises(ValidationError):
            block.clean(asset)
            pytest.fail(why)


def test_the_stories_chooser_lists_the_exhibitions_media_to_an_exhibition_editor(
    client, exhibition
):
    public = make_record("Lễ hội công khai")
    shown = on_record(ready_photo("Ảnh công khai của Lào Cai"), public)
    on_record(ready_photo("Ảnh hạn chế của Lào Cai", access=Access.RESTRICTED), public)
    client.force_login(exhibition["editor"])
    html = client.get(reverse("story_media_chooser:choose")).json()["html"]
    assert "Ảnh công khai của Lào Cai" in html
    assert "Ảnh hạn chế của Lào Cai" not in html
    chosen = client.get(reverse("story_media_chooser:chosen", args=[shown.pk]))
    assert chosen.status_code == 200
    # The record forms' chooser stays the team's: an exhibition editor has none.
    html = client.get(reverse("wagtailsnippetchoosers_media_pipeline_mediaasset:choose"))
    assert "Ảnh công khai của Lào Cai" not in html.json()["html"]


def test_the_lead_image_must_be_an_exhibition_photo(client, exhibition):
    public = make_record("Lễ hội công khai")
    restricted = on_record(ready_photo("Ảnh hạn chế", access=Access.RESTRICTED), public)
    index = StoryIndexPage.objects.get(locale__language_code="vi")
    client.force_login(exhibition["editor"])
    url = reverse("wagtailadmin_pages:add", args=["heritage", "storypage", index.pk])
    response = client.post(
        url,
        {
            "title": "Mùa xuân",
            "slug": "",
            "intro": "",
            "lead_image": restricted.pk,
            "chapters-count": "0",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert "lead_image" in response.context["form"].errors
    assert not StoryPage.objects.exists()


# --- what a story shows -----------------------------------------------------------


@pytest.fixture
def story_world(archive):
    public = make_record("Lễ hội Lồng Tồng", summary="Xuống đồng đầu xuân.")
    restricted = make_record("Lễ cúng rừng thiêng", access=Access.RESTRICTED)
    draft = make_record("Lễ mừng lúa mới", publish=False)
    shown = on_record(ready_photo("Ném còn"), public)
    withheld = on_record(ready_photo("Ảnh rừng thiêng"), restricted)
    story = make_story(
        "Mùa xuân trên bản",
        [
            ("heading", "Xuống đồng"),
            ("paragraph", "<p>Sau Tết, các bản xuống đồng.</p>"),
            record_chapter(public, "Lễ mở đầu mùa vụ"),
            record_chapter(restricted),
            record_chapter(draft),
            media_chapter(shown, "Quả còn bay qua vòng"),
            media_chapter(withheld),
        ],
        intro="Một mùa xuân qua các lễ hội.",
        lead_image=withheld,
    )
    return {"story": story, "public": public, "restricted": restricted, "draft": draft,
            "shown": shown, "withheld": withheld}  # fmt: skip


def files_of(asset):
    return f"/files/{asset.token}/"


def test_a_visitor_sees_the_visible_chapters_and_nothing_hidden(client, story_world):
    html = client.get(story_world["story"].url).content.decode()
    for text in ["Mùa xuân trên bản", "Xuống đồng", "Sau Tết, các bản xuống đồng.",
                 "Lễ hội Lồng Tồng", "Lễ mở đầu mùa vụ", "Quả còn bay qua vòng"]:  # fmt: skip
        assert text in html
    assert files_of(story_world["shown"]) in html
    for hidden in ("Lễ cúng rừng thiêng", "Lễ mừng lúa mới", "Ảnh rừng thiêng"):
        assert hidden not in html
    assert files_of(story_world["withheld"]) not in html
    assert 'class="story-note"' not in html


def test_an_officer_sees_the_visitors_story_with_a_note_for_each_left_out(client, story_world):
    client.force_login(User.objects.create_superuser("quan-tri"))
    html = client.get(story_world["story"].url).content.decode()
    assert "Lễ hội Lồng Tồng" in html
    assert "Lễ cúng rừng thiêng" not in html and "Lễ mừng lúa mới" not in html
    assert files_of(story_world["withheld"]) not in html
    # Two records, one media item and the lead image are left out for visitors.
    assert html.count('story-note"') == 4


def test_a_record_restricted_later_leaves_the_story_at_once(client, story_world):
    public = story_world["public"]
    public.access = Access.RESTRICTED
    public.save_revision().publish()
    html = client.get(story_world["story"].url).content.decode()
    assert "Lễ hội Lồng Tồng" not in html
    # Its photo goes with it: media shows only on a record the visitor may see.
    assert "Quả còn bay qua vòng" not in html


def test_a_chapter_left_out_entirely_takes_its_heading_with_it(client, archive):
    public = make_record("Lễ hội Lồng Tồng")
    restricted = make_record("Lễ cúng rừng thiêng", access=Access.RESTRICTED)
    hidden_photo = on_record(ready_photo("Ảnh rừng thiêng"), restricted)
    story = make_story(
        "Mùa xuân trên bản",
        [
            ("heading", "Xuống đồng"),
            record_chapter(public),
            record_chapter(restricted),
            ("heading", "Điều chỉ người trong bản được biết"),
            record_chapter(restricted),
            media_chapter(hidden_photo),
            ("heading", "Lời kết"),
            ("paragraph", "<p>Hẹn mùa sau.</p>"),
        ],
    )
    html = client.get(story.url).content.decode()
    assert "Xuống đồng" in html and "Lời kết" in html
    assert "Điều chỉ người trong bản được biết" not in html
    client.force_login(User.objects.create_superuser("quan-tri"))
    html = client.get(story.url).content.decode()
    # Officers keep it, with a note for each block visitors do not see.
    assert "Điều chỉ người trong bản được biết" in html
    assert html.count('story-note"') == 3


def test_a_lead_photo_still_processing_leaves_the_story_its_plain_header(client, archive):
    from media_pipeline.models import ProcessingState

    record = make_record("Lễ hội Lồng Tồng")
    lead = on_record(ready_photo("Cây còn"), record)
    lead.renditions.all().delete()
    type(lead).objects.filter(pk=lead.pk).update(state=ProcessingState.PROCESSING)
    story = make_story("Mùa xuân trên bản", [("heading", "Xuống đồng")], lead_image=lead)
    html = client.get(story.url).content.decode()
    assert "story-head--photo" not in html and "<img" not in html
    home = client.get("/").content.decode()
    assert 'class="story-card-band"' in home
    client.force_login(User.objects.create_superuser("quan-tri"))
    # It is public: no note tells the officer visitors miss it.
    assert 'story-note"' not in client.get(story.url).content.decode()


def test_an_english_story_shows_the_english_version_of_a_chosen_record(client, archive):
    record = make_record("Lễ hội Lồng Tồng")
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Lồng Tồng Festival"
    english.save_revision().publish()
    story = make_story("Spring in the hamlets", [record_chapter(record)], locale="en")
    html = client.get(story.url).content.decode()
    assert "Lồng Tồng Festival" in html and english.url in html


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_story_takes_as_many_queries_with_one_chapter_as_with_many(client, archive):
    def chapters(n):
        result = []
        for i in range(n):
            record = make_record(
                f"Hồ sơ {len(StoryPage.objects.all())}-{i}", groups=("Tày", "Nùng")
            )
            photo = on_record(ready_photo(f"Ảnh {record.pk}"), record)
            result += [("heading", f"Chương {i}"), ("paragraph", "<p>Văn bản.</p>"),
                       record_chapter(record), media_chapter(photo)]  # fmt: skip
        return result

    small = make_story("Một chương", chapters(1))
    large = make_story("Nhiều chương", chapters(8))
    assert queries_for(client, small.url) == queries_for(client, large.url)
    client.force_login(User.objects.create_superuser("quan-tri"))
    client.get(small.url)  # the officer's first request stores their session's details
    assert queries_for(client, small.url) == queries_for(client, large.url)


def test_the_home_page_features_the_latest_stories_of_its_language(client, story_world):
    make_story("Câu chuyện chưa xuất bản", publish=False)
    make_story("Spring in the hamlets", locale="en")
    html = client.get("/").content.decode()
    assert "Mùa xuân trên bản" in html and "Một mùa xuân qua các lễ hội." in html
    assert "Câu chuyện chưa xuất bản" not in html and "Spring in the hamlets" not in html
    # The lead image is on a restricted record: never on the home page either.
    assert files_of(story_world["withheld"]) not in html
    english = client.get("/en/").content.decode()
    assert "Spring in the hamlets" in english and "Mùa xuân trên bản" not in english
    index = client.get("/cau-chuyen/").content.decode()
    assert "Mùa xuân trên bản" in index and "Câu chuyện chưa xuất bản" not in index


def test_the_home_page_takes_as_many_queries_with_one_story_as_with_many(client, archive):
    record = make_record("Lễ hội Lồng Tồng")
    make_story("Câu chuyện 0", lead_image=on_record(ready_photo("Ảnh 0"), record))
    few = queries_for(client, "/")
    for n in range(1, 6):
        make_story(f"Câu chuyện {n}", lead_image=on_record(ready_photo(f"Ảnh {n}"), record))
    assert queries_for(client, "/") == few
