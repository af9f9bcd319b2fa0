"""A record's shared facts are entered once, in Vietnamese, and kept in step with its translation.

Through the real admin views: the Lào Cai editor translates a record (the
translation view Wagtail's "Dịch" button opens), finds the English texts to
write again marked and the shared facts read-only; a post that tries to change
them changes nothing. When a language is published its facts go into the
other's latest revision as a logged draft, never published, never echoed back.
"""

import pytest
from django.urls import reverse
from wagtail.models import Locale, PageLogEntry, WorkflowState
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from heritage import translation_sync
from heritage.models import EthnicGroup, FestivalPage, RecordMedia, VisibilityEvent
from tests.factories import make_record, team_asset, team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text
from tests.heritage.test_concurrent_edits import load_edit_form, post_back

pytestmark = pytest.mark.django_db

TITLE = "Lễ hội Gầu Tào"
KEPT_IN_STEP = "Giữ đồng bộ với bản tiếng Việt — sửa ở bản gốc"
TO_REWRITE = "Cần viết lại bằng tiếng Anh"
RECORDED_BY_VI = "Nhóm khảo sát điền dã tỉnh"
RIGHTS_HOLDER_VI = "Sở Văn hóa, Thể thao và Du lịch Lào Cai"


@pytest.fixture
def team(archive):
    return archive["Lào Cai"]


@pytest.fixture
def editor(team):
    return team_member(team, "editors", "lc-editor")


@pytest.fixture
def reviewer(team):
    return team_member(team, "reviewers", "lc-reviewer")


@pytest.fixture
def record(team):
    return make_record(
        TITLE,
        groups=["H'Mông"],
        province="Lào Cai",
        locality="Xã Bản Lầu",
        recorded_by=RECORDED_BY_VI,
        rights_holder=RIGHTS_HOLDER_VI,
        summary="Lễ hội cầu phúc đầu xuân.",
        body=[("paragraph", RichText("<p>Múa khèn quanh cây nêu.</p>"))],
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def translate(client, record):
    """What the officer's click on "Dịch" then "Gửi" does; returns the English page."""
    english = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[record.pk]),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    translation = FestivalPage.objects.get(translation_key=record.translation_key, locale=english)
    assert response.url == edit_url(translation)
    return translation


def post_edit_form(client, page, body="<p>Múa khèn quanh cây nêu.</p>", **typed):
    """The edit form as the browser posts it (its body is drawn by script, so added here)."""
    fields = load_edit_form(client, edit_url(page)).fields
    typed.update(nested_form_data({"body": streamfield([("paragraph", rich_text(body))])}))
    return post_back(client, edit_url(page), fields, **typed)


def latest(page):
    return FestivalPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def publish_with(page, **facts):
    """A reviewer's publish of ``page`` with these facts changed (as the edit view would)."""
    draft = latest(page)
    groups = facts.pop("groups", None)
    for name, value in facts.items():
        setattr(draft, name, value)
    if groups is not None:
        draft.ethnic_groups.set(EthnicGroup.objects.filter(name_vi__in=groups))
    draft.save_revision().publish()


def test_the_translation_marks_what_to_rewrite_and_locks_the_shared_facts(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    response = client.get(edit_url(english))
    html = response.content.decode()
    text = visible_text(html, include_hidden=True)
    assert english_leftovers(text) == []
    assert "Bản tiếng Anh" in text  # the language badge in the header
    assert "Sửa chúng ở bản tiếng Việt" in text
    assert f'href="{edit_url(record)}"' in html
    assert text.count(TO_REWRITE) == 3  # title, summary, body
    assert KEPT_IN_STEP in text
    form = response.context["form"]
    for name in ["locality", "ethnic_groups", "licence", "access", "province_as_recorded"]:
        assert form.fields[name].disabled, name
    assert not form.fields["title"].disabled
    # Who recorded it and who holds the rights are said in English on the English page.
    for name in ["recorded_by", "rights_holder"]:
        assert not form.fields[name].disabled, name
    assert form["recorded_by"].value() == RECORDED_BY_VI  # a new translation starts from it

    # The Vietnamese page keeps every fact editable, and names its language.
    response = client.get(edit_url(record))
    text = visible_text(response.content.decode(), include_hidden=True)
    assert "Bản tiếng Việt" in text
    assert KEPT_IN_STEP not in text and TO_REWRITE not in text
    assert not response.context["form"].fields["locality"].disabled


def test_a_rewritten_text_is_no_longer_marked(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    response = post_edit_form(client, english, title="Gau Tao Festival")
    assert response.status_code == 302
    untranslated = client.get(edit_url(english)).context["form"].untranslated
    assert untranslated == ["summary", "body"]


def test_a_post_cannot_change_the_translations_shared_facts(client, editor, team, record, tiny):
    asset = team_asset(team, tiny["wav"], "Cây nêu")
    song = team_asset(team, tiny["video"], "Múa khèn")
    draft = latest(record)
    draft.media_links.add(RecordMedia(asset=asset, caption="Cây nêu giữa bãi"))
    draft.media_links.add(RecordMedia(asset=song, caption="Múa khèn"))
    draft.save_revision().publish()
    client.force_login(editor)
    english = translate(client, record)
    tay = EthnicGroup.objects.get(name_vi="Tày").pk
    response = post_edit_form(
        client,
        english,
        title="Gau Tao Festival",
        locality="Somewhere else",
        ethnic_groups=[str(tay)],
        licence="http://rightsstatements.org/vocab/InC/1.0/",
        access="restricted",
        **{"media_links-0-caption": "The pole in the middle", "media_links-1-DELETE": "1"},
    )
    assert response.status_code == 302
    saved = latest(english)
    assert saved.title == "Gau Tao Festival"
    assert saved.locality == "Xã Bản Lầu"
    assert [g.name_vi for g in saved.ethnic_groups.all()] == ["H'Mông"]
    assert saved.licence == record.licence and saved.access == "public"
    # The caption is the translator's; the media items themselves stay.
    assert [(link.asset_id, link.caption) for link in saved.media_links.all()] == [
        (asset.pk, "The pole in the middle"),
        (song.pk, "Múa khèn"),
    ]


def test_publishing_vietnamese_writes_its_facts_into_the_english_draft(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    english_draft = latest(english)
    english_draft.title = "Gau Tao Festival"
    english_draft.save_revision().publish()
    before = english.revisions.count()

    publish_with(record, locality="Xã Bản Phố", lunar_month=1, groups=["H'Mông", "Dao"])

    english.refresh_from_db()
    assert english.revisions.count() == before + 1
    draft = latest(english)
    assert draft.locality == "Xã Bản Phố" and draft.lunar_month == 1
    assert sorted(g.name_vi for g in draft.ethnic_groups.all()) == ["Dao", "H'Mông"]
    assert draft.title == "Gau Tao Festival"  # its own texts untouched
    # A draft, logged, by the archive itself; the English live page is as it was.
    assert english.has_unpublished_changes
    assert english.locality == "Xã Bản Lầu"
    entry = PageLogEntry.objects.get(page=english, action=translation_sync.SYNC_ACTION)
    assert entry.user is None and entry.data["source_language"] == "vi"
    assert "locality" in entry.data["facts"]
    response = client.get(reverse("wagtailadmin_pages:history", args=[english.pk]))
    assert "Thông tin chung được chép từ bản tiếng Việt" in visible_text(response.content.decode())

    # Nothing echoes back, and publishing again with nothing changed writes nothing.
    vietnamese_revisions = record.revisions.count()
    publish_with(record)
    assert english.revisions.count() == before + 1
    assert record.revisions.count() == vietnamese_revisions + 1  # only its own publish


def about_this_record(client, page):
    """The "About this record" facts of ``page``'s public page, as a visitor reads them."""
    html = client.get(page.url).content.decode()
    return visible_text(html.split('id="about-heading"', 1)[1])


def test_the_translator_writes_who_recorded_it_and_publishing_vietnamese_keeps_it(
    client, editor, record
):
    client.force_login(editor)
    english = translate(client, record)
    response = post_edit_form(
        client,
        english,
        title="Gau Tao Festival",
        recorded_by="Provincial field-survey team",
        rights_holder="Lao Cai Department of Culture, Sports and Tourism",
    )
    assert response.status_code == 302
    assert latest(english).recorded_by == "Provincial field-survey team"
    publish_with(english)  # the reviewer's approval

    publish_with(record, locality="Xã Bản Phố", recorded_by="Nhóm khảo sát huyện Mường Khương")

    draft = latest(english)
    assert draft.locality == "Xã Bản Phố"  # a shared fact still follows
    assert draft.recorded_by == "Provincial field-survey team"
    assert draft.rights_holder == "Lao Cai Department of Culture, Sports and Tourism"
    record.refresh_from_db()
    vietnamese = about_this_record(client, record)
    assert "Nhóm khảo sát huyện Mường Khương" in vietnamese
    assert RIGHTS_HOLDER_VI in vietnamese and "Provincial" not in vietnamese
    shown = about_this_record(client, english)
    assert "Provincial field-survey team" in shown
    assert "Lao Cai Department of Culture, Sports and Tourism" in shown
    assert "Nhóm khảo sát" not in shown and RIGHTS_HOLDER_VI not in shown

    # Publishing the English page gives the Vietnamese one nothing of its wording either.
    publish_with(english)
    assert latest(record).recorded_by == "Nhóm khảo sát huyện Mường Khương"
    assert latest(record).rights_holder == RIGHTS_HOLDER_VI


def test_a_translation_under_review_gets_the_draft_and_stays_under_review(
    client, editor, reviewer, record
):
    client.force_login(editor)
    english = translate(client, record)
    draft = latest(english)
    draft.title = "Gau Tao Festival"
    draft.save_revision(user=editor)
    english.get_workflow().start(english, editor)

    publish_with(record, locality="Xã Bản Phố")

    english = FestivalPage.objects.get(pk=english.pk)
    assert english.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert latest(english).locality == "Xã Bản Phố"
    # The reviewer's approval publishes the latest revision: facts and texts together.
    task_state = english.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    english.refresh_from_db()
    assert english.live and english.locality == "Xã Bản Phố"
    assert english.title == "Gau Tao Festival"


def test_a_locked_translation_still_gets_the_draft(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    english.locked, english.locked_by = True, editor
    english.save(update_fields=["locked", "locked_by"])
    publish_with(record, locality="Xã Bản Phố")
    assert latest(english).locality == "Xã Bản Phố"


def test_publishing_english_never_undoes_a_pending_vietnamese_edit(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    draft = latest(record)
    draft.locality = "Xã Bản Phố"  # the officer's draft, not yet reviewed
    draft.save_revision(user=editor)
    english_draft = latest(english)
    english_draft.title = "Gau Tao Festival"
    english_draft.save_revision().publish()
    assert latest(record).locality == "Xã Bản Phố"
    assert not PageLogEntry.objects.filter(page=record, action=translation_sync.SYNC_ACTION)


def test_media_follow_the_source_and_keep_their_captions(client, editor, team, record, tiny):
    pole = team_asset(team, tiny["wav"], "Cây nêu")
    client.force_login(editor)
    english = translate(client, record)
    draft = latest(record)
    draft.media_links.add(RecordMedia(asset=pole, caption="Cây nêu giữa bãi"))
    draft.save_revision().publish()
    english_draft = latest(english)
    assert [link.caption for link in english_draft.media_links.all()] == ["Cây nêu giữa bãi"]
    link = english_draft.media_links.get(asset=pole)
    link.caption = "The pole in the middle"
    english_draft.save_revision()
    publish_with(record, locality="Xã Bản Phố")
    links = latest(english).media_links.all()
    assert [(link.asset_id, link.caption) for link in links] == [
        (pole.pk, "The pole in the middle")
    ]
    # Which media a translation has follows the source: it offers no delete, the source does.
    delete = 'id="id_media_links-0-DELETE-button"'
    assert delete not in client.get(edit_url(english)).content.decode()
    assert delete in client.get(edit_url(record)).content.decode()


def test_the_vietnamese_title_cannot_be_published_as_the_english_one(
    client, editor, reviewer, record
):
    client.force_login(editor)
    english = translate(client, record)
    client.force_login(reviewer)
    response = post_edit_form(client, english, **{"action-publish": "Xuất bản"})
    assert response.status_code == 200
    [error] = response.context["form"].errors["title"]
    assert error.startswith("Hãy viết tiêu đề tiếng Anh trước khi xuất bản")
    assert error in response.content.decode()
    assert not FestivalPage.objects.get(pk=english.pk).live


def test_restricting_one_language_hides_the_others_live_page_at_once(client, editor, record):
    client.force_login(editor)
    english = translate(client, record)
    english_draft = latest(english)
    english_draft.title = "Gau Tao Festival"
    english_draft.save_revision().publish()
    english.refresh_from_db()
    client.logout()
    assert client.get(english.url).status_code == 200

    publish_with(record, access="restricted")

    # Nobody published the English page again, yet visitors no longer find it.
    assert client.get(english.url).status_code == 404
    harvesters_learn = VisibilityEvent.objects.filter(locale="en", kind="restricted")
    assert harvesters_learn.filter(record_id=record.record_id).exists()
    english.refresh_from_db()
    assert english.live and english.access == "restricted"
    client.force_login(editor)
    assert client.get(english.url).status_code == 200  # officers still read it
