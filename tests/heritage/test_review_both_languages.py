"""A Lào Cai record in both languages goes through review together, through the real admin views.

The editor submits both languages in one action; the reviewer's decision on
one language is applied to the other; nobody who must go through review is
offered Wagtail's plain "Publish".
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from wagtail.models import Locale, WorkflowState

from heritage.models import FestivalPage, Province
from tests.factories import make_record, team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text
from tests.heritage.test_concurrent_edits import load_edit_form
from tests.heritage.test_curation import festival_form

pytestmark = pytest.mark.django_db

TITLE = "Lễ hội Gầu Tào"
SUBMIT_BOTH_LABEL = "Gửi duyệt cả hai ngôn ngữ"


class ActionButtons(HTMLParser):
    """The name of each button in the edit page's action menu, and the URL it posts to."""

    def __init__(self):
        super().__init__()
        self.buttons = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button" and attrs.get("name", "").startswith("action-"):
            self.buttons[attrs["name"]] = attrs


def action_buttons(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert english_leftovers(visible_text(response.content.decode(), include_hidden=True)) == []
    parser = ActionButtons()
    parser.feed(response.content.decode())
    return parser.buttons


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
    """A draft Lào Cai record and its English translation, neither live."""
    record = make_record(TITLE, groups=["Tày"], province="Lào Cai", publish=False)
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Gau Tao Festival"
    english.save_revision()
    return record


def english_of(record):
    return FestivalPage.objects.get(
        translation_key=record.translation_key, locale__language_code="en"
    )


def post_edit_form(client, page, url, **typed):
    """What the browser posts from the edit form: its hidden fields and the officer's typing."""
    hidden = load_edit_form(client, reverse("wagtailadmin_pages:edit", args=[page.pk])).hidden
    data = {name: values[0] for name, values in hidden.items()}
    data.update(
        festival_form(
            title=page.title,
            slug=page.slug,
            province_as_recorded=Province.objects.get(name_vi="Lào Cai").pk,
            **typed,
        )
    )
    return client.post(url, data, follow=True)


def submit_both(client, page):
    button = action_buttons(client, page)["action-submit-both"]
    return post_edit_form(client, page, button["formaction"], **{button["name"]: button["value"]})


def success_messages(response):
    """The visible text of each success message the page shows (not the script templates)."""
    shown = response.content.decode().split('data-w-messages-target="container">')[1]
    shown = shown.split("</ul>")[0]
    return [
        visible_text(item) for item in re.findall(r'<li class="success">(.*?)</li>', shown, re.S)
    ]


def states(record):
    return [
        page.current_workflow_state and page.current_workflow_state.status
        for page in (FestivalPage.objects.get(pk=record.pk), english_of(record))
    ]


def test_the_editor_is_offered_submit_both_and_no_publish(client, editor, reviewer, record):
    client.force_login(editor)
    buttons = action_buttons(client, record)
    assert "action-publish" not in buttons
    assert buttons["action-submit-both"]["value"] == SUBMIT_BOTH_LABEL
    # One action for both languages: not also Wagtail's "Submit to …" for one.
    assert "action-submit" not in buttons
    # The reviewers may still publish their own team's records.
    client.force_login(reviewer)
    assert "action-publish" in action_buttons(client, record)


def test_a_record_in_one_language_keeps_wagtails_submit(client, editor, team):
    alone = make_record("Tết Nhảy", groups=["Dao"], province="Lào Cai", publish=False)
    client.force_login(editor)
    buttons = action_buttons(client, alone)
    assert "action-submit" in buttons
    assert "action-submit-both" not in buttons


def test_posting_publish_as_the_editor_does_not_publish(client, editor, record):
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[record.pk])
    post_edit_form(client, record, edit_url, **{"action-publish": "Xuất bản"})
    assert not FestivalPage.objects.get(pk=record.pk).live


def test_submit_both_starts_the_workflow_on_both_languages(client, editor, record):
    client.force_login(editor)
    response = submit_both(client, record)
    # One message for both languages, not Wagtail's for one beside it.
    assert success_messages(response) == [
        f"«{TITLE}» và bản dịch «Gau Tao Festival» đã được gửi duyệt. Xem bản nháp Sửa"
    ]
    in_progress = WorkflowState.STATUS_IN_PROGRESS
    assert states(record) == [in_progress, in_progress]
    assert not FestivalPage.objects.get(pk=record.pk).live
    assert not english_of(record).live


def test_approving_the_vietnamese_puts_both_live_and_links_the_live_page(
    client, editor, reviewer, record
):
    client.force_login(editor)
    submit_both(client, record)
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[record.pk])
    response = post_edit_form(
        client,
        record,
        edit_url,
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    live = FestivalPage.objects.get(pk=record.pk)
    english = english_of(record)
    assert live.live and english.live
    assert states(record) == [None, None]
    # The English side was approved by the same reviewer, and logged.
    approval = english.current_workflow_state or english.workflow_states.get()
    assert approval.status == WorkflowState.STATUS_APPROVED
    assert approval.current_task_state.finished_by == reviewer
    page_url = live.url
    text = response.content.decode()
    assert english_leftovers(visible_text(text)) == []
    assert success_messages(response) == [
        f"Đã duyệt và xuất bản «{TITLE}» (cả tiếng Việt và tiếng Anh). Xem trang"
    ]
    assert f'href="{page_url}"' in text.split(f"«{TITLE}» (cả tiếng Việt")[1]
    assert client.get(live.url).status_code == 200
    assert client.get(english.url).status_code == 200


def test_the_reviewer_sees_the_record_once_with_both_languages(client, editor, reviewer, record):
    client.force_login(editor)
    submit_both(client, record)
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="awaiting-review-content"')[1].split("</table>")[0]
    assert panel.count(TITLE) == 1
    assert "Gau Tao Festival" not in panel
    for page in (record, english_of(record)):
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in panel
    assert english_leftovers(visible_text(html)) == []


def test_requesting_changes_on_one_sends_both_back(client, editor, reviewer, record):
    client.force_login(editor)
    submit_both(client, record)
    client.force_login(reviewer)
    english = english_of(record)
    task_state = english.current_workflow_state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[english.pk, "reject", task_state.pk]),
        {"comment": "Thiếu ảnh."},
    )
    assert response.status_code in (200, 302)
    needs_changes = WorkflowState.STATUS_NEEDS_CHANGES
    assert states(record) == [needs_changes, needs_changes]


def test_a_locked_translation_is_not_submitted(client, editor, reviewer, record):
    english = english_of(record)
    english.locked, english.locked_by = True, reviewer
    english.save(update_fields=["locked", "locked_by"])
    client.force_login(editor)
    response = submit_both(client, record)
    assert "Bản dịch «Gau Tao Festival» đang bị khoá" in response.content.decode()
    assert states(record) == [None, None]


def test_an_officer_of_another_province_can_neither_submit_nor_approve(
    client, archive, editor, record
):
    outsider = team_member(archive["Tuyên Quang"], "reviewers", "tq-reviewer")
    client.force_login(outsider)
    submit_url = reverse("heritage_submit_both", args=[record.pk])
    response = client.post(submit_url, festival_form(**{"action-submit-both": "x"}))
    assert response.status_code in (302, 403)
    assert states(record) == [None, None]
    client.force_login(editor)
    submit_both(client, record)
    client.force_login(outsider)
    task_state = record.current_workflow_state.current_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[record.pk, "approve", task_state.pk])
    )
    in_progress = WorkflowState.STATUS_IN_PROGRESS
    assert states(record) == [in_progress, in_progress]
    assert not FestivalPage.objects.get(pk=record.pk).live
