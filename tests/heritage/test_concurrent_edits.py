"""Two officers edit the same object: a save from the older form is refused, nothing is lost.

Each officer loads the real admin edit form; what the test posts back is what
the browser would: the form's hidden fields as rendered, plus what the officer
typed.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, rich_text, streamfield

from heritage.models import Consent, EthnicGroup, FestivalPage, Person
from media_pipeline.models import MediaAsset
from tests.factories import make_record, team_member
from tests.heritage.test_curation import festival_form

pytestmark = pytest.mark.django_db


class EditFormFields(HTMLParser):
    """The name/value pairs a browser would submit from the admin's edit form."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.hidden = {}
        self._in_form = False
        self._select = None
        self._textarea = None

    def _add(self, name, value, hidden=False):
        self.fields.setdefault(name, []).append(value)
        if hidden:
            self.hidden.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-edit-form" in attrs:
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs["name"], attrs.get("value", "on"))
                return
            self._add(attrs["name"], attrs.get("value", ""), hidden=kind == "hidden")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            if self.fields[self._textarea][-1].startswith("\n"):  # as browsers read it
                self.fields[self._textarea][-1] = self.fields[self._textarea][-1][1:]
            self._textarea = None
        elif tag == "select":
            self._select = None


def load_edit_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = EditFormFields()
    parser.feed(response.content.decode())
    return parser


def post_back(client, url, fields, **typed):
    data = {name: values if len(values) > 1 else values[0] for name, values in fields.items()}
    data.update(typed)
    return client.post(url, data)


def officer(team, group, username, full_name):
    user = team_member(team, group, username)
    user.first_name, user.last_name = full_name.split(" ", 1)
    user.save()
    return user


@pytest.fixture
def team(archive):
    return archive["Tuyên Quang"]


@pytest.fixture
def lan(team):
    return officer(team, "editors", "lan", "Nguyễn Lan")


@pytest.fixture
def minh(team):
    return officer(team, "editors", "minh", "Trần Minh")


# --- Records ---------------------------------------------------------------


@pytest.fixture
def record(client, team, django_user_model):
    """A live record whose revision holds just what the test's form posts."""
    record = make_record("Lễ hội Lồng Tồng", province="Tuyên Quang")
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org"))
    response = client.post(
        record_url(record), festival_form(slug=record.slug, **{"action-publish": "Publish"})
    )
    assert response.status_code == 302
    client.logout()
    return record


def record_url(record):
    return reverse("wagtailadmin_pages:edit", args=[record.pk])


def record_form(client, record):
    """The hidden fields of the record's edit form, as this officer's browser loaded them."""
    return load_edit_form(client, record_url(record)).hidden


def post_record(client, record, hidden, **typed):
    data = {name: values[0] for name, values in hidden.items()}
    data.update(festival_form(slug=record.slug, **typed))
    return client.post(record_url(record), data)


def latest(record):
    return FestivalPage.objects.get(pk=record.pk).get_latest_revision_as_object()


def open_record_twice(client, record, first, second):
    client.force_login(first)
    first_form = record_form(client, record)
    client.force_login(second)
    second_form = record_form(client, record)
    return first_form, second_form


def assert_refused(response, saved_by, *changed_labels):
    assert response.status_code == 200
    page = response.content.decode()
    assert "sau khi bạn mở" in page
    assert saved_by in page
    for label in changed_labels:
        assert label in page


def test_a_draft_saved_from_a_stale_form_is_refused_and_keeps_what_was_typed(
    client, record, lan, minh
):
    lan_form, minh_form = open_record_twice(client, record, lan, minh)

    client.force_login(lan)
    assert post_record(client, record, lan_form, title="Lồng Tồng xuống đồng").status_code == 302

    client.force_login(minh)
    response = post_record(client, record, minh_form, summary="Ghi chép mới của Minh.")
    assert_refused(response, "Nguyễn Lan", "Tiêu đề")
    assert "Tóm tắt" not in response.context["form"].non_field_errors()[0]
    assert latest(record).title == "Lồng Tồng xuống đồng"
    assert latest(record).summary == "Lễ hội xuống đồng đầu xuân của người Tày."
    # The form comes back with what Minh typed, to copy into a fresh one.
    assert "Ghi chép mới của Minh." in response.content.decode()

    # Saving the returned form again is refused again: it still names the old revision.
    returned = EditFormFields()
    returned.feed(response.content.decode())
    again = post_record(client, record, returned.hidden, summary="Ghi chép mới của Minh.")
    assert_refused(again, "Nguyễn Lan")
    assert latest(record).title == "Lồng Tồng xuống đồng"

    # Reloaded, the form carries Lan's change and Minh's save goes through.
    fresh = record_form(client, record)
    response = post_record(
        client, record, fresh, title="Lồng Tồng xuống đồng", summary="Ghi chép mới của Minh."
    )
    assert response.status_code == 302
    assert (latest(record).title, latest(record).summary) == (
        "Lồng Tồng xuống đồng",
        "Ghi chép mới của Minh.",
    )


def test_the_refusal_names_every_field_the_newer_revision_changed(client, team, record, lan, minh):
    asset = MediaAsset.objects.create(
        title="Ném còn", file="masters/nem-con.mp4", collection=team.collection
    )
    lan_form, minh_form = open_record_twice(client, record, lan, minh)
    client.force_login(lan)
    lan_typed = festival_form(
        slug=record.slug,
        summary="Tóm tắt của Lan.",
        body=streamfield([("paragraph", rich_text("<p>Lan viết thêm.</p>"))]),
        media_links=inline_formset([{"asset": asset.pk, "caption": "Ném còn"}]),
    )
    lan_typed["ethnic_groups"] = [EthnicGroup.objects.get(name_vi="Nùng").pk]
    data = {name: values[0] for name, values in lan_form.items()} | lan_typed
    client.force_login(lan)
    response = client.post(record_url(record), data)
    assert response.status_code == 302, response.context["form"].errors

    client.force_login(minh)
    response = post_record(client, record, minh_form, title="Tên khác")
    error = response.context["form"].non_field_errors()[0]
    assert "Các trường đã thay đổi: Dân tộc, Tóm tắt, Nội dung, Tư liệu." in error


def test_submitting_for_review_from_a_stale_form_is_refused(client, record, lan, minh):
    lan_form, minh_form = open_record_twice(client, record, lan, minh)
    client.force_login(lan)
    assert post_record(client, record, lan_form, title="Lồng Tồng xuống đồng").status_code == 302

    client.force_login(minh)
    response = post_record(
        client, record, minh_form, summary="Ghi chép của Minh.", **{"action-submit": "Submit"}
    )
    assert_refused(response, "Nguyễn Lan", "Tiêu đề")
    assert not WorkflowState.objects.filter(object_id=str(record.pk)).exists()
    assert latest(record).title == "Lồng Tồng xuống đồng"


def test_publishing_from_a_stale_form_is_refused(client, team, record, lan):
    reviewer = officer(team, "reviewers", "hoa", "Lê Hoa")
    lan_form, reviewer_form = open_record_twice(client, record, lan, reviewer)
    client.force_login(lan)
    assert post_record(client, record, lan_form, title="Lồng Tồng xuống đồng").status_code == 302

    client.force_login(reviewer)
    response = post_record(
        client, record, reviewer_form, summary="Bản duyệt.", **{"action-publish": "Publish"}
    )
    assert_refused(response, "Nguyễn Lan", "Tiêu đề")
    live = FestivalPage.objects.get(pk=record.pk)
    assert (live.title, live.summary) == (
        "Lễ hội Lồng Tồng",
        "Lễ hội xuống đồng đầu xuân của người Tày.",
    )
    assert latest(record).title == "Lồng Tồng xuống đồng"


def autosave(client, record, fields, autosaved_revision_id=None, **typed):
    """What Wagtail's autosave script sends, and the form's inputs after it applied the answer."""
    data = {name: values[0] for name, values in fields.items()}
    data.update(festival_form(slug=record.slug, **typed))
    if autosaved_revision_id:
        data["overwrite_revision_id"] = autosaved_revision_id
    answer = client.post(record_url(record), data, HTTP_ACCEPT="application/json").json()
    updated = dict(fields)
    if answer.get("success"):
        for name, value in answer["field_updates"].items():
            updated[name] = [value]
    return answer, updated


def test_autosaves_carry_on_and_the_officer_can_still_save(client, record, lan, minh):
    lan_form, minh_form = open_record_twice(client, record, lan, minh)
    as_loaded = lan_form
    client.force_login(lan)
    first, lan_form = autosave(client, record, lan_form, title="Lồng Tồng")
    assert first["success"], first
    second, lan_form = autosave(
        client, record, lan_form, first["revision_id"], title="Lồng Tồng xuống đồng"
    )
    assert second["success"], second
    assert second["revision_id"] == first["revision_id"]
    # The form now names the revision its autosave wrote: Lan's own click on
    # "Save draft" (the form's inputs, without the autosave's extra field) is not refused.
    assert lan_form["loaded_revision_id"] == [str(second["revision_id"])]
    response = post_record(client, record, lan_form, title="Lồng Tồng xuống đồng")
    assert response.status_code == 302
    assert latest(record).title == "Lồng Tồng xuống đồng"
    # Nor is a click that left before the autosave's answer came back: the
    # newer revisions are Lan's own.
    response = post_record(client, record, as_loaded, title="Lồng Tồng xuống đồng.")
    assert response.status_code == 302

    # Minh's form, loaded before Lan's autosaves, is refused both ways.
    client.force_login(minh)
    answer, _ = autosave(client, record, minh_form, summary="Của Minh.")
    assert not answer["success"]
    assert_refused(post_record(client, record, minh_form, summary="Của Minh."), "Nguyễn Lan")


# --- People, consents and media items (no revisions) -----------------------


@pytest.fixture
def person(team):
    return Person.objects.create(name="Bà Ma Thị Then", role="informant", team=team)


def snippet_url(model, pk):
    meta = model._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[pk])


def open_twice(client, url, first, second):
    client.force_login(first)
    first_form = load_edit_form(client, url).fields
    client.force_login(second)
    second_form = load_edit_form(client, url).fields
    return first_form, second_form


def test_a_person_saved_from_a_stale_form_is_refused(client, person, lan, minh):
    url = snippet_url(Person, person.pk)
    lan_form, minh_form = open_twice(client, url, lan, minh)

    asset = MediaAsset.objects.create(
        title="Then Tày", file="masters/then.mp4", collection=person.team.collection
    )
    client.force_login(lan)
    response = post_back(client, url, lan_form, name="Bà Ma Thị Thên", media_assets=[asset.pk])
    assert response.status_code == 302

    client.force_login(minh)
    response = post_back(client, url, minh_form, notes="Hát then giỏi nhất bản.")
    assert_refused(response, "Nguyễn Lan")
    error = response.context["form"].non_field_errors()[0]
    assert "Các trường đã thay đổi: Tên, Tư liệu có người này." in error
    person.refresh_from_db()
    assert (person.name, person.notes) == ("Bà Ma Thị Thên", "")
    assert "Hát then giỏi nhất bản." in response.content.decode()

    # Reloaded, Minh's form saves.
    fresh = load_edit_form(client, url).fields
    assert post_back(client, url, fresh, notes="Hát then giỏi nhất bản.").status_code == 302
    person.refresh_from_db()
    assert (person.name, person.notes) == ("Bà Ma Thị Thên", "Hát then giỏi nhất bản.")


def test_a_person_form_whose_loaded_values_were_tampered_with_is_refused(client, person, lan, minh):
    url = snippet_url(Person, person.pk)
    lan_form, minh_form = open_twice(client, url, lan, minh)
    client.force_login(lan)
    assert post_back(client, url, lan_form, name="Bà Ma Thị Thên").status_code == 302
    # Minh's stale form, with the loaded values claimed to be today's.
    forged = load_edit_form(client, url).fields["loaded_values"][0]
    forged = forged[:-3] + ("AAA" if not forged.endswith("AAA") else "BBB")
    client.force_login(minh)
    response = post_back(client, url, minh_form, loaded_values=forged, notes="x")
    assert response.status_code == 200
    assert "Không thể đối chiếu biểu mẫu này với bản đã lưu" in response.content.decode()
    person.refresh_from_db()
    assert (person.name, person.notes) == ("Bà Ma Thị Thên", "")


def test_a_consent_saved_from_a_stale_form_is_refused(client, person, lan, minh):
    consent = Consent.objects.create(
        person=person, granted_by="Bà Ma Thị Then", granted_on=datetime.date(2024, 1, 1)
    )
    url = snippet_url(Consent, consent.pk)
    lan_form, minh_form = open_twice(client, url, lan, minh)

    client.force_login(lan)
    response = post_back(client, url, lan_form, expires_on="2026-01-01", reason="Hạn theo biên bản")
    assert response.status_code == 302

    client.force_login(minh)
    response = post_back(
        client, url, minh_form, granted_by="Con gái bà Then", reason="Sửa tên người ký"
    )
    assert_refused(response, "Nguyễn Lan", "Có hiệu lực đến")
    consent.refresh_from_db()
    assert (consent.granted_by, consent.expires_on) == (
        "Bà Ma Thị Then",
        datetime.date(2026, 1, 1),
    )
    assert "Con gái bà Then" in response.content.decode()


def test_a_media_item_saved_from_a_stale_form_is_refused(client, team, lan, minh):
    asset = MediaAsset.objects.create(
        title="Then Tày", file="masters/then.mp4", collection=team.collection
    )
    url = snippet_url(MediaAsset, asset.pk)
    lan_form, minh_form = open_twice(client, url, lan, minh)

    client.force_login(lan)
    assert post_back(client, url, lan_form, title="Hát then Tày").status_code == 302

    client.force_login(minh)
    response = post_back(client, url, minh_form, description="Quay ở Na Hang.")
    assert_refused(response, "Nguyễn Lan", "Tiêu đề")
    asset.refresh_from_db()
    assert (asset.title, asset.description) == ("Hát then Tày", "")
    assert "Quay ở Na Hang." in response.content.decode()
