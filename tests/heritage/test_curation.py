"""An officer creates, translates and submits a festival; a reviewer approves; it goes live."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from wagtail.models import Locale, PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from heritage.curation import section_for
from heritage.models import EthnicGroup, FestivalPage, Province, VisibilityEvent
from tests.factories import make_record


def user_in(group, username):
    user = User.objects.create_user(username, password="pw")
    user.groups.add(group)
    return user


def festival_form(**overrides):
    data = {
        "title": "Lễ hội Lồng Tồng",
        "slug": "le-hoi-long-tong",
        "native_name": "Lồng tồng",
        "ich_domain": "social_practices",
        "summary": "Lễ hội xuống đồng đầu xuân của người Tày.",
        "province_as_recorded": Province.objects.get(name_vi="Tuyên Quang").pk,
        "locality": "Xã Phù Lưu",
        # The selects' defaults, as a browser posts them.
        "timing_kind": "lunar",
        "coordinate_precision": "commune",
        "lunar_month": 1,
        "lunar_day": 8,
        "recurrence": "annual",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "access": "public",
        "body": streamfield([("paragraph", rich_text("<p>Ném còn, kéo co.</p>"))]),
        "editions": inline_formset([]),
        "media_links": inline_formset([]),
        "participants": inline_formset([]),
        "sources": inline_formset([]),
        "keywords": "ném còn, xuống đồng",
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["ethnic_groups"] = [EthnicGroup.objects.get(name_vi="Tày").pk]
    return form


@pytest.fixture
def team(archive):
    return archive["Tuyên Quang"]


def test_officer_creates_translates_submits_and_reviewer_publishes(client, team):
    vi, en = Locale.objects.get(language_code="vi"), Locale.objects.get(language_code="en")
    section = section_for(team.province, vi)
    officer = user_in(team.editors, "officer")
    reviewer = user_in(team.reviewers, "reviewer")

    client.force_login(officer)
    add_url = reverse("wagtailadmin_pages:add", args=("heritage", "festivalpage", section.pk))
    response = client.post(add_url, festival_form(**{"action-submit": "Submit"}))
    assert response.status_code == 302, response.context["form"].errors
    festival = FestivalPage.objects.get(slug="le-hoi-long-tong")
    assert not festival.live
    assert festival.record_id.startswith("vh-")
    assert festival.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(festival.url or "/tuyen-quang/le-hoi-long-tong/").status_code == 404

    # The officer makes the English translation with Wagtail's copy-for-translation.
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[festival.pk]),
        {"locales": [en.pk]},
    )
    assert response.status_code == 302
    english = festival.get_translation(en)
    assert english.record_id == festival.record_id

    # The reviewer approves through the workflow, and the festival goes live.
    client.force_login(reviewer)
    task_state = festival.current_workflow_state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[festival.pk, "approve", task_state.pk]),
        {"comment": "Đạt yêu cầu"},
    )
    assert response.status_code in (200, 302)
    festival.refresh_from_db()
    assert festival.live
    assert client.get(festival.url).status_code == 200
    actions = set(PageLogEntry.objects.filter(page=festival).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.publish"} <= actions
    assert VisibilityEvent.objects.filter(record_id=festival.record_id, kind="published").exists()


def test_officer_cannot_edit_another_teams_records(client, archive):
    other = make_record("Lễ hội Gầu Tào", groups=["H'Mông"], province="Lào Cai")
    officer = user_in(archive["Tuyên Quang"].editors, "officer")
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert response.status_code in (302, 403)
    section = section_for(archive["Lào Cai"].province, other.locale)
    add_url = reverse("wagtailadmin_pages:add", args=("heritage", "festivalpage", section.pk))
    assert client.get(add_url).status_code in (302, 403)


def test_editor_cannot_publish_directly(client, team):
    section = section_for(team.province, Locale.objects.get(language_code="vi"))
    officer = user_in(team.editors, "officer")
    client.force_login(officer)
    add_url = reverse("wagtailadmin_pages:add", args=("heritage", "festivalpage", section.pk))
    client.post(add_url, festival_form(**{"action-publish": "Publish"}))
    assert not FestivalPage.objects.get(slug="le-hoi-long-tong").live


def test_invalid_record_shows_errors_and_saves_nothing(client, team):
    section = section_for(team.province, Locale.objects.get(language_code="vi"))
    client.force_login(user_in(team.editors, "officer"))
    add_url = reverse("wagtailadmin_pages:add", args=("heritage", "festivalpage", section.pk))
    response = client.post(add_url, festival_form(lunar_day=31, solar_month=2, solar_day=30))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "lunar_day" in errors and "solar_day" in errors
    assert not FestivalPage.objects.exists()


def test_restricting_a_record_is_logged_for_harvesters(archive):
    record = make_record("Lễ cúng rừng")
    record.access = "restricted"
    record.save_revision().publish()
    record.unpublish()
    kinds = list(
        VisibilityEvent.objects.filter(record_id=record.record_id)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["published", "restricted", "unpublished"]


def test_a_record_with_errors_says_which_tab_holds_them(client, team):
    section = section_for(team.province, Locale.objects.get(language_code="vi"))
    client.force_login(user_in(team.editors, "officer"))
    add_url = reverse("wagtailadmin_pages:add", args=("heritage", "festivalpage", section.pk))
    assert client.post(add_url, festival_form()).status_code == 302
    # The same slug again: its error sits on the promote tab, which a newcomer never opens.
    # And no title, on the first tab.
    response = client.post(add_url, festival_form(title="", native_name="Lồng tồng 2"))
    assert response.status_code == 200
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "Biểu mẫu có lỗi ở thẻ “Nội dung”, “Quảng bá”." in shown, shown
    # Every error is listed with its field, wherever it sits.
    assert "Tiêu đề" in shown and "Đường dẫn rút gọn" in shown, shown
    assert FestivalPage.objects.filter(native_name="Lồng tồng 2").count() == 0
