"""One write rule, everywhere: every role tries every write on every object, the browser's way.

Six roles (anonymous, another province's editor and reviewer, the owning
team's editor and reviewer, a superuser) try every action on six objects
owned by the Lào Cai team: a record (with its English translation), a media
item in the team's collection and its captions, a person the team
documented, that person's consent, and an import run the team's editor
started. Each action goes through the real admin page or endpoint, with the
fields the page's form gave (a role refused the form submits the form a
superuser was given, as an intruder who copied it would), and the test then
reads the database: an allowed write happened, a refused one changed
nothing and was answered with a refusal, never a server error.

Who may do what is written out by hand in :data:`ALLOWED`, from the rule:
officers change only their own team's records, media, people and consents;
only reviewers publish, and only their team's records; deleting media is
the owning team's reviewers' (it destroys a master); deleting people and
consents is given to no team (heritage.curation), so only superusers do,
and records are deleted by whoever may publish them (Wagtail's rule);
attaching media needs "choose" in the asset's collection. An action is
named by what it does and the path it takes ("attach: upload" is a tus
upload naming the record). A surface built later (stories, the API,
OAI-PMH, new kinds of upload) joins by adding its actions to
:data:`ACTIONS` and its cells to :data:`ALLOWED`.

The objects are built once for the module inside a transaction rolled back
at the end; each test rolls back its own writes.
"""

import datetime
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import Locale, Page

from heritage.access import Access
from heritage.curation import (
    EDITOR_COLLECTION_PERMISSIONS,
    EXHIBITION_EDITORS,
    REVIEWER_COLLECTION_PERMISSIONS,
    SNIPPET_PERMISSIONS,
)
from heritage.curation import EXHIBITION_REVIEWERS as EXHIBITION_REVIEWER_GROUP
from heritage.exporting import record_rows
from heritage.models import (
    Consent,
    ImportRun,
    Person,
    RecordPage,
    StoryIndexPage,
    StoryPage,
    Team,
)
from media_pipeline.models import Caption, MediaAsset, ProcessingState, UploadSession
from media_pipeline.uploads import finish
from tests.admin_forms import BrowserForm
from tests.factories import make_record, make_story, team_member
from tests.heritage.importgen import make_rows, write_csv
from tests.media_pipeline.test_tus import create as tus_create
from tests.media_pipeline.test_tus import patch as tus_patch

OWN, OTHER = "Lào Cai", "Tuyên Quang"
ROLES = ["anonymous", "other_editor", "other_reviewer", "own_editor", "own_reviewer",
         "exhibition_editor", "exhibition_reviewer", "superuser"]  # fmt: skip
OFFICERS = set(ROLES) - {"anonymous"}
# The exhibition team (heritage.curation): stories only, never records or media.
EXHIBITION = {"exhibition_editor", "exhibition_reviewer", "superuser"}
EXHIBITION_REVIEWERS = {"exhibition_reviewer", "superuser"}
OWN_TEAM = {"own_editor", "own_reviewer", "superuser"}
REVIEWERS = {"own_reviewer", "superuser"}
SUPERUSER = {"superuser"}

# (object, action) -> the roles whose write goes through: the rule, written out by hand.
ALLOWED = {
    # The read rule: every officer reads every record on the site, restricted
    # ones too; the admin shows a record (its form, history, draft) to its team.
    ("record", "view: site"): OFFICERS,
    ("record", "view: admin"): OWN_TEAM,
    ("record", "edit"): OWN_TEAM,
    ("record", "publish"): REVIEWERS,
    # Wagtail lets whoever may publish a page delete it, and curation gives
    # no team more than that.
    ("record", "delete"): REVIEWERS,
    ("record", "attach: record form"): OWN_TEAM,
    ("record", "attach: upload"): OWN_TEAM,
    ("record", "import: admin"): OWN_TEAM,
    ("record", "import: command"): OWN_TEAM,
    ("record", "upload: admin import"): OWN_TEAM,
    ("record", "upload: command"): OWN_TEAM,
    ("record", "publish: admin import"): REVIEWERS,
    ("record", "publish: command"): REVIEWERS,
    ("media", "view"): OWN_TEAM,
    ("media", "edit"): OWN_TEAM,
    ("media", "delete"): REVIEWERS,
    ("media", "attach: record form"): OWN_TEAM,
    ("media", "attach: command"): OWN_TEAM,
    ("media", "import: admin"): OWN_TEAM,
    ("media", "import: command"): OWN_TEAM,
    ("media", "upload: tus"): OWN_TEAM,
    # Naming our media item on a person or captioning it changes what the public sees of it.
    ("media", "attach: person form"): OWN_TEAM,
    ("media", "attach: caption form"): OWN_TEAM,
    ("person", "view"): OWN_TEAM,
    ("person", "edit"): OWN_TEAM,
    ("person", "delete"): SUPERUSER,
    ("person", "attach: record form"): OWN_TEAM,
    # A new consent for our person would make the media they appear in public.
    ("person", "attach: consent form"): OWN_TEAM,
    ("consent", "view"): OWN_TEAM,
    ("consent", "edit"): OWN_TEAM,
    ("consent", "delete"): SUPERUSER,
    # Runs are their starter's (and superusers'): the import page lists "your imports".
    ("import run", "view"): {"own_editor", "superuser"},
    ("caption", "view"): OWN_TEAM,
    ("caption", "edit"): OWN_TEAM,
    ("caption", "delete"): SUPERUSER,
    # Stories are the exhibition team's: province officers neither write nor publish them.
    ("story", "create"): EXHIBITION,
    ("story", "edit"): EXHIBITION,
    ("story", "publish"): EXHIBITION_REVIEWERS,
    ("story", "delete"): EXHIBITION_REVIEWERS,
}
# What each object is: every model a team may write (heritage.curation) is one.
MODELS = {
    "record": RecordPage,
    "media": MediaAsset,
    "person": Person,
    "consent": Consent,
    "import run": ImportRun,
    "caption": Caption,
    "story": StoryPage,
}
# Cells left out, and why:
# - people, consents and import runs are never uploaded into nor imported
#   into: the sheet has no column for them, and uploads go to collections;
# - consents are attached to nothing but their person (its own field, an edit);
# - import runs have no edit nor delete view: they are the log of what an
#   import did, written by the import alone;
# - a command is run by someone at the server's shell: it acts as a named
#   ``--user``, never as an anonymous visitor.
COMMANDS = {"import: command", "upload: command", "attach: command", "publish: command"}


@dataclass
class World:
    users: dict
    record: RecordPage  # Lào Cai's, restricted, with an English translation
    other_record: RecordPage  # Tuyên Quang's: where the other team would attach things
    media: MediaAsset  # in Lào Cai's collection, on no record yet
    other_media: MediaAsset  # in Tuyên Quang's collection
    person: Person
    consent: Consent
    run: ImportRun
    caption: Caption  # English captions of another of Lào Cai's media items
    story: StoryPage  # published, in the Vietnamese story index

    def home_record(self, role):
        """The record this role may edit: the other team's officers edit theirs."""
        return self.other_record if role.startswith("other") else self.record

    def home_province(self, role):
        return OTHER if role.startswith("other") else OWN


CUES = "WEBVTT\n\n00:00.000 --> 00:01.000\nThe khene opens the dance\n"


def build_world():
    own, other = Team.objects.get(province__name_vi=OWN), Team.objects.get(province__name_vi=OTHER)
    users = {"anonymous": None, "superuser": User.objects.create_superuser("matrix-admin")}
    for side, team in (("own", own), ("other", other)):
        for group in ("editors", "reviewers"):
            role = f"{side}_{group[:-1]}"
            users[role] = team_member(team, group, f"matrix-{role}")
    for role, name in (
        ("exhibition_editor", EXHIBITION_EDITORS),
        ("exhibition_reviewer", EXHIBITION_REVIEWER_GROUP),
    ):
        users[role] = User.objects.create_user(f"matrix-{role}")
        users[role].groups.add(Group.objects.get(name=name))
    record = make_record(
        "Lễ cúng rừng thiêng", province=OWN, groups=("Hà Nhì",), access=Access.RESTRICTED
    )
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Sacred forest worship"
    english.save_revision().publish()
    other_record = make_record("Lễ hội Lồng Tồng", province=OTHER)
    media, other_media = (
        MediaAsset.objects.create(
            title=title,
            file=f"masters/{name}.mp4",
            collection=team.collection,
            state=ProcessingState.READY,
        )
        for title, name, team in (
            ("Múa khèn", "mua-khen", own),
            ("Hát then", "hat-then", other),
        )
    )
    person = Person.objects.create(name="Ông Lý Seo Chảo", role="elder", team=own)
    consent = Consent.objects.create(
        person=person,
        granted_by="Ông Lý Seo Chảo",
        covers_public_display=True,
        granted_on=datetime.date(2024, 3, 1),
        expires_on=datetime.date(2029, 3, 1),
    )
    run = ImportRun.objects.create(
        original_filename="khao-sat-lao-cai.csv",
        created_by=users["own_editor"],
        status=ImportRun.Status.DONE,
        total_rows=1,
        created_count=1,
    )
    # On an item of its own: a media item with captions cannot be deleted.
    captioned = MediaAsset.objects.create(
        title="Hát ru", file="masters/hat-ru.mp4", collection=own.collection
    )
    caption = Caption(asset=captioned, language="en", kind="captions", label="English")
    caption.file.save("en.vtt", ContentFile(CUES.encode()), save=False)
    caption.save()
    story = make_story("Mùa xuân trên bản", intro="Một mùa xuân qua các lễ hội.")
    return World(
        users, record, other_record, media, other_media, person, consent, run, caption, story
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- how a browser (or an officer at the shell) does each thing -------------------------


@dataclass
class Attempt:
    """What the role was answered: each response, and whether it said no."""

    responses: list
    refused: bool


LOGIN = reverse("wagtailadmin_login")


def said_no(response):
    """A refusal: 403, 404, the login page, or Wagtail's "no permission" redirect home."""
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith(LOGIN) or location == reverse("wagtailadmin_home")


def has_form_errors(response):
    context = response.context or {}
    form = context.get("form")
    if response.status_code != 200 or form is None:
        return False
    # A page form's inline panels (media links, participants) keep their own errors.
    formsets = getattr(form, "formsets", {}).values()
    return bool(form.errors) or any(formset.total_error_count() for formset in formsets)


def form_at(world, client, url):
    """The form the role is given at ``url``, else the one a superuser is given."""
    response = client.get(url)
    if response.status_code != 200:
        superuser = Client()
        superuser.force_login(world.users["superuser"])
        response = superuser.get(url)
        assert response.status_code == 200, url
    return BrowserForm(response.content.decode())


def submit(world, client, url, change, **extra):
    """GET the form at ``url``, change it as the officer would, POST it."""
    form = form_at(world, client, url)
    change(form)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, form.data(), **extra)
    return response


def page_edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def record_form(form):
    # The record's body is a StreamField whose inputs the admin's JavaScript
    # builds; the world's records have no body, so a browser sends none.
    form.set("body-count", "0")


def snippet_url(obj, action):
    meta = obj._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:{action}", args=[obj.pk])


def view_in_admin(url, shows):
    def perform(world, client, role):
        response = client.get(url(world))
        seen = response.status_code == 200 and shows(world) in response.content.decode()
        return Attempt([response], refused=said_no(response)), seen

    return perform


def edit_form(url, change, edited):
    def perform(world, client, role):
        response = submit(world, client, url(world), change)
        refused = said_no(response) or has_form_errors(response)
        return Attempt([response], refused), edited(world)

    return perform


def delete_view(url, gone):
    def perform(world, client, role):
        target = url(world)
        confirm = client.get(target)
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(target)
        return Attempt([confirm, response], said_no(response)), gone(world)

    return perform


# Records.


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


RENAMED = "Lễ cúng rừng thiêng (sửa)"


def record_renamed(world):
    return latest(world.record).title == RENAMED


def rename_record(form):
    record_form(form)
    form.set("title", RENAMED)


def publish_renamed(form):
    rename_record(form)
    form.set("action-publish", "action-publish")


def record_published_renamed(world):
    return Page.objects.get(pk=world.record.pk).title == RENAMED


def publish_on_record_form(world, client, role):
    response = submit(world, client, page_edit_url(world.record), publish_renamed)
    # Wagtail offers no "Publish" to an editor, and saves what one sends as a
    # draft: the record then shows its changes waiting for review.
    waiting = Page.objects.get(pk=world.record.pk).has_unpublished_changes
    refused = said_no(response) or has_form_errors(response) or waiting
    return Attempt([response], refused), record_published_renamed(world)


def record_shown(world, client, role):
    # Officers read restricted records (the read rule); the public may not.
    response = client.get(world.record.url)
    seen = response.status_code == 200 and world.record.title in response.content.decode()
    return Attempt([response], refused=response.status_code == 404), seen


def record_gone(world):
    return not Page.objects.filter(pk=world.record.pk).exists()


def linked_in_draft(page, asset):
    return any(link.asset_id == asset.pk for link in latest(page).media_links.all())


def attach_on_record_form(page_of, asset_of):
    """Add a media link on a record's edit form, naming an asset by its id (the chooser's)."""

    def perform(world, client, role):
        page, asset = page_of(world, role), asset_of(world, role)

        def add_link(form):
            record_form(form)
            form.add_inline("media_links", asset=str(asset.pk))

        response = submit(world, client, page_edit_url(page), add_link)
        refused = said_no(response) or has_form_errors(response)
        return Attempt([response], refused), linked_in_draft(page, asset)

    return perform


def media_the_role_may_choose(world, role):
    return world.other_media if role.startswith("other") else world.media


UPLOAD_NAME = "tep-tai-len.wav"


def upload(world, client, content, **metadata):
    """A tus upload, then the finishing task the worker runs; returns the session, if any."""
    created = tus_create(client, len(content), filename=UPLOAD_NAME, **metadata)
    responses = [created]
    session = None
    if created.status_code == 201:
        responses.append(tus_patch(client, created["Location"], content, 0))
        session = finish(UploadSession.objects.get(filename=UPLOAD_NAME).pk)
    return responses, session


def refused_upload(responses, session):
    return said_no(responses[0]) or (session is not None and bool(session.error))


def attach_by_upload(world, client, role):
    responses, session = upload(
        world, client, b"matrix: attach by upload", record=world.record.record_id
    )
    attached = session is not None and session.asset_id is not None
    attached = attached and linked_in_draft(world.record, session.asset)
    return Attempt(responses, refused_upload(responses, session)), attached


# Imports: the admin's import page (its task run at once) and the command.


def record_row(world, role, **changes):
    """The record's row as the export writes it, with cells changed."""
    (row,) = [r for r in record_rows() if r["record_id"] == world.record.record_id]
    row.update(changes)
    return row


def import_in_admin(rows_of, happened, *, publish=False):
    def perform(world, client, role, tmp_path):
        sheet = write_csv(tmp_path / "khao-sat.csv", rows_of(world, role))
        url = reverse("heritage_import:index")
        page = client.get(url)
        data = {"file": SimpleUploadedFile(sheet.name, sheet.read_bytes(), "text/csv")}
        if publish:
            # An editor's form has no "Publish" box: what ticking it would send.
            data["publish"] = "on"
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(url, data)
        run = ImportRun.objects.exclude(pk=world.run.pk).first()
        refused = said_no(response) or bool(run.errors) or (publish and not run.publish)
        return Attempt([page, response], refused), happened(world, role)

    return perform


def import_by_command(rows_of, happened, *, publish=False):
    def perform(world, client, role, tmp_path):
        sheet = write_csv(tmp_path / "khao-sat.csv", rows_of(world, role))
        report = tmp_path / "bao-cao.json"
        call_command(
            "import_records",
            str(sheet),
            user=world.users[role].username,
            publish=publish,
            report=str(report),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        rows = json.loads(report.read_text(encoding="utf-8"))["rows"]
        return Attempt([], refused=any(row["errors"] for row in rows)), happened(world, role)

    return perform


def renaming_row(world, role):
    # The other team's officers name their own province: the one they may import into.
    return [record_row(world, role, title_vi=RENAMED, province=world.home_province(role))]


def record_renamed_by_import(world, role):
    return record_renamed(world)


def record_published_by_import(world, role):
    return record_published_renamed(world)


NEW_RECORD_ID = "vh-matrix0001"


def new_row_in_own_province(world, role):
    (row,) = make_rows(1, [OWN])
    row["record_id"] = NEW_RECORD_ID
    return [row]


def new_record_in_own_province(world, role):
    return RecordPage.objects.filter(record_id=NEW_RECORD_ID, province__name_vi=OWN).exists()


def row_naming_media(world, role):
    # A new record in the province the role may import into, with our media item.
    (row,) = make_rows(1, [world.home_province(role)])
    row.update(record_id=NEW_RECORD_ID, media=f"asset:{world.media.uuid}")
    return [row]


def media_on_an_imported_record(world, role):
    pages = RecordPage.objects.filter(record_id=NEW_RECORD_ID)
    return any(linked_in_draft(page, world.media) for page in pages)


def upload_into_collection(world, client, role):
    collection = world.media.collection
    content = f"matrix: upload as {role}".encode()
    responses, session = upload(world, client, content, collection=str(collection.pk))
    landed = MediaAsset.objects.filter(collection=collection, original_filename=UPLOAD_NAME)
    refused = refused_upload(responses, session) or (
        session is not None and session.asset.collection_id != collection.pk
    )
    return Attempt(responses, refused), landed.exists()


def attach_by_ingest_command(world, client, role, tmp_path):
    # Our media item's own file is not on disk: the command takes in a new
    # one naming our record, as the role.
    path = tmp_path / "ghi-am.wav"
    path.write_bytes(f"matrix: ingest as {role}".encode())
    try:
        call_command(
            "ingest_media",
            str(path),
            record=world.record.record_id,
            user=world.users[role].username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        refused = False
    except CommandError:
        refused = True
    attached = any(link.asset.title == "ghi am" for link in latest(world.record).media_links.all())
    return Attempt([], refused), attached


# Media, people, consents.


def asset_url(action):
    return lambda world: snippet_url(world.media, action)


def media_renamed(world):
    return MediaAsset.objects.get(pk=world.media.pk).title == "Múa khèn (sửa)"


def media_gone(world):
    return not MediaAsset.objects.filter(pk=world.media.pk).exists()


def person_renamed(world):
    return Person.objects.get(pk=world.person.pk).name == "Ông Lý Seo Chảo (sửa)"


def person_gone(world):
    return not Person.objects.filter(pk=world.person.pk).exists()


def attach_person_on_record_form(world, client, role):
    page = world.home_record(role)

    def add_participant(form):
        record_form(form)
        form.add_inline("participants", person=str(world.person.pk), role="elder")

    response = submit(world, client, page_edit_url(page), add_participant)
    refused = said_no(response) or has_form_errors(response)
    named = any(p.person_id == world.person.pk for p in latest(page).participants.all())
    return Attempt([response], refused), named


def team_of(world, role):
    return Team.objects.get(province__name_vi=world.home_province(role))


def add_in_admin(model, fill, added, files=None):
    """Fill in a snippet's "Add" form and save it."""

    def perform(world, client, role):
        url = reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:add")
        form = form_at(world, client, url)
        fill(form, world, role)
        data = form.data()
        data.update(files() if files else {})
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(url, data)
        refused = said_no(response) or has_form_errors(response)
        return Attempt([response], refused), added(world)

    return perform


def consent_for_our_person(form, world, role):
    form.set("person", str(world.person.pk))
    form.set("granted_by", "Ông Lý Seo Chảo")
    form.set("covers_public_display", "on")
    form.set("granted_on", "2025-01-01")


def another_consent(world):
    return world.person.consents.exclude(pk=world.consent.pk).exists()


def person_in_our_media(form, world, role):
    form.set("name", "Bà Vàng Thị Mỷ")
    form.set("role", "informant")
    form.set("team", str(team_of(world, role).pk))
    form.set("media_assets", str(world.media.pk))


def another_person_in_our_media(world):
    return world.media.people.exclude(pk=world.person.pk).exists()


def caption_of_our_media(form, world, role):
    form.set("asset", str(world.media.pk))
    form.set("language", "vi")


def caption_file():
    return {"file": SimpleUploadedFile("phu-de.vtt", CUES.encode(), "text/vtt")}


def our_media_captioned(world):
    return Caption.objects.filter(asset=world.media, language="vi").exists()


def caption_relabelled(world):
    return Caption.objects.get(pk=world.caption.pk).label == "English (sửa)"


def caption_gone(world):
    return not Caption.objects.filter(pk=world.caption.pk).exists()


def consent_regranted(world):
    return Consent.objects.get(pk=world.consent.pk).granted_by == "Con trai ông Chảo"


def consent_gone(world):
    return not Consent.objects.filter(pk=world.consent.pk).exists()


def run_shown(world, client, role):
    detail = client.get(reverse("heritage_import:detail", args=[world.run.pk]))
    status = client.get(reverse("heritage_import:status", args=[world.run.pk]))
    seen = detail.status_code == 200 and world.run.original_filename in detail.content.decode()
    assert (status.status_code == 200) == seen  # the progress JSON says no alike
    return Attempt([detail, status], said_no(detail) and said_no(status)), seen


# Stories.

STORY_RENAMED = "Mùa xuân trên bản (sửa)"
NEW_STORY = "Mùa gặt"


def story_form(form):
    # Chapters are a StreamField the admin's JavaScript builds.
    form.set("chapters-count", "0")


def rename_story(form):
    story_form(form)
    form.set("title", STORY_RENAMED)


def story_renamed(world):
    return latest(world.story).title == STORY_RENAMED


def story_published_renamed(world):
    return Page.objects.get(pk=world.story.pk).title == STORY_RENAMED


def create_story(world, client, role):
    index = StoryIndexPage.objects.get(locale__language_code="vi")
    url = reverse("wagtailadmin_pages:add", args=["heritage", "storypage", index.pk])

    def fill(form):
        story_form(form)
        form.set("title", NEW_STORY)
        form.set("slug", "mua-gat")

    response = submit(world, client, url, fill)
    refused = said_no(response) or has_form_errors(response)
    return Attempt([response], refused), StoryPage.objects.filter(title=NEW_STORY).exists()


def publish_on_story_form(world, client, role):
    def publish(form):
        rename_story(form)
        form.set("action-publish", "action-publish")

    response = submit(world, client, page_edit_url(world.story), publish)
    waiting = Page.objects.get(pk=world.story.pk).has_unpublished_changes
    refused = said_no(response) or has_form_errors(response) or waiting
    return Attempt([response], refused), story_published_renamed(world)


def story_gone(world):
    return not StoryPage.objects.filter(pk=world.story.pk).exists()


ACTIONS = {
    ("record", "view: site"): record_shown,
    ("record", "view: admin"): view_in_admin(
        lambda w: page_edit_url(w.record), lambda w: w.record.title
    ),
    ("record", "edit"): edit_form(lambda w: page_edit_url(w.record), rename_record, record_renamed),
    ("record", "publish"): publish_on_record_form,
    ("record", "delete"): delete_view(
        lambda w: reverse("wagtailadmin_pages:delete", args=[w.record.pk]), record_gone
    ),
    ("record", "attach: record form"): attach_on_record_form(
        lambda w, role: w.record, media_the_role_may_choose
    ),
    ("record", "attach: upload"): attach_by_upload,
    ("record", "import: admin"): import_in_admin(renaming_row, record_renamed_by_import),
    ("record", "import: command"): import_by_command(renaming_row, record_renamed_by_import),
    ("record", "upload: admin import"): import_in_admin(
        new_row_in_own_province, new_record_in_own_province
    ),
    ("record", "upload: command"): import_by_command(
        new_row_in_own_province, new_record_in_own_province
    ),
    ("media", "view"): view_in_admin(asset_url("edit"), lambda w: w.media.title),
    ("media", "edit"): edit_form(
        asset_url("edit"), lambda form: form.set("title", "Múa khèn (sửa)"), media_renamed
    ),
    ("media", "delete"): delete_view(asset_url("delete"), media_gone),
    ("media", "attach: record form"): attach_on_record_form(
        lambda w, role: w.home_record(role), lambda w, role: w.media
    ),
    ("media", "attach: command"): attach_by_ingest_command,
    ("media", "import: admin"): import_in_admin(row_naming_media, media_on_an_imported_record),
    ("media", "import: command"): import_by_command(row_naming_media, media_on_an_imported_record),
    ("media", "upload: tus"): upload_into_collection,
    ("person", "view"): view_in_admin(
        lambda w: snippet_url(w.person, "edit"), lambda w: w.person.name
    ),
    ("person", "edit"): edit_form(
        lambda w: snippet_url(w.person, "edit"),
        lambda form: form.set("name", "Ông Lý Seo Chảo (sửa)"),
        person_renamed,
    ),
    ("person", "delete"): delete_view(lambda w: snippet_url(w.person, "delete"), person_gone),
    ("person", "attach: record form"): attach_person_on_record_form,
    ("consent", "view"): view_in_admin(
        lambda w: snippet_url(w.consent, "edit"), lambda w: w.consent.granted_by
    ),
    ("consent", "edit"): edit_form(
        lambda w: snippet_url(w.consent, "edit"),
        lambda form: (
            form.set("granted_by", "Con trai ông Chảo"),
            form.set("reason", "Người ký là con trai ông, theo biên bản"),
        ),
        consent_regranted,
    ),
    ("consent", "delete"): delete_view(lambda w: snippet_url(w.consent, "delete"), consent_gone),
    ("import run", "view"): run_shown,
    ("record", "publish: admin import"): import_in_admin(
        renaming_row, record_published_by_import, publish=True
    ),
    ("record", "publish: command"): import_by_command(
        renaming_row, record_published_by_import, publish=True
    ),
    ("media", "attach: person form"): add_in_admin(
        Person, person_in_our_media, another_person_in_our_media
    ),
    ("media", "attach: caption form"): add_in_admin(
        Caption, caption_of_our_media, our_media_captioned, files=caption_file
    ),
    ("caption", "view"): view_in_admin(
        lambda w: snippet_url(w.caption, "edit"), lambda w: w.caption.label
    ),
    ("caption", "edit"): edit_form(
        lambda w: snippet_url(w.caption, "edit"),
        lambda form: form.set("label", "English (sửa)"),
        caption_relabelled,
    ),
    ("caption", "delete"): delete_view(lambda w: snippet_url(w.caption, "delete"), caption_gone),
    ("person", "attach: consent form"): add_in_admin(
        Consent, consent_for_our_person, another_consent
    ),
    ("story", "create"): create_story,
    ("story", "edit"): edit_form(lambda w: page_edit_url(w.story), rename_story, story_renamed),
    ("story", "publish"): publish_on_story_form,
    ("story", "delete"): delete_view(
        lambda w: reverse("wagtailadmin_pages:delete", args=[w.story.pk]), story_gone
    ),
}
# Actions that take files on disk get the test's folder.
WITH_FILES = {"import: admin", "import: command", "upload: admin import", "upload: command",
              "attach: command", "publish: admin import", "publish: command"}  # fmt: skip


LIVE_FIELDS = ["title", "slug", "live", "live_revision_id", "last_published_at", "path"]
DRAFT_FIELDS = ["draft_title", "latest_revision_id", "has_unpublished_changes", "locked"]


def state_of(world, *, drafts=True):
    """What the Lào Cai team owns, as stored: a refused write leaves it as it was."""
    own = Team.objects.get(province__name_vi=OWN)

    def row(model, pk):
        return model.objects.filter(pk=pk).values().first()

    pages = Page.objects.filter(
        pk__in=[world.record.pk, *world.record.get_translations().values_list("pk", flat=True)]
    )
    return {
        "pages": list(pages.order_by("pk").values(*LIVE_FIELDS, *(DRAFT_FIELDS if drafts else []))),
        "media": row(MediaAsset, world.media.pk),
        "media items": set(
            MediaAsset.objects.filter(collection=own.collection).values_list("pk", flat=True)
        ),
        "records": set(
            RecordPage.objects.filter(province=own.province).values_list("pk", flat=True)
        ),
        "person": row(Person, world.person.pk),
        "person media": set(world.person.media_assets.values_list("pk", flat=True)),
        "people in media": set(world.media.people.values_list("pk", flat=True)),
        "captions": list(
            Caption.objects.filter(asset__collection=own.collection).order_by("pk").values()
        ),
        "consents": list(world.person.consents.order_by("pk").values()),
        "run": row(ImportRun, world.run.pk),
        "stories": list(
            StoryPage.objects.order_by("pk").values(*LIVE_FIELDS, *(DRAFT_FIELDS if drafts else []))
        ),
    }


# A refused action may still do what the role may do by other means: an
# editor's "Publish" saves the draft an editor may save.
MAY_STILL = {
    ("record", "publish"): ("record", "edit"),
    ("record", "publish: admin import"): ("record", "import: admin"),
    ("record", "publish: command"): ("record", "import: command"),
    ("story", "publish"): ("story", "edit"),
}


CELLS = [
    (obj, action, role)
    for (obj, action) in ALLOWED
    for role in ROLES
    if not (action in COMMANDS and role == "anonymous")
]


def test_every_action_has_its_cells():
    assert ACTIONS.keys() == ALLOWED.keys()
    assert {obj for obj, _action in ALLOWED} == MODELS.keys()


def test_every_model_a_team_may_write_is_in_the_matrix():
    granted = {
        *SNIPPET_PERMISSIONS,
        *EDITOR_COLLECTION_PERMISSIONS,
        *REVIEWER_COLLECTION_PERMISSIONS,
    }
    assert granted | {RecordPage, ImportRun} <= set(MODELS.values())


@pytest.mark.parametrize(("obj", "action", "role"), CELLS, ids=lambda p: p.replace(" ", "_"))
def test_a_role_writes_exactly_what_it_may(world, db, client, work_dirs, obj, action, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    allowed = role in ALLOWED[(obj, action)]
    fallback = MAY_STILL.get((obj, action))
    drafts = fallback is None or role not in ALLOWED[fallback]
    before = state_of(world, drafts=drafts)
    perform = ACTIONS[(obj, action)]
    if action in WITH_FILES:
        attempt, happened = perform(world, client, role, work_dirs)
    else:
        attempt, happened = perform(world, client, role)
    assert all(r.status_code < 500 for r in attempt.responses), attempt.responses
    if allowed:
        assert happened and not attempt.refused, attempt.responses
    else:
        assert not happened, f"{role} could {action} the {obj}"
        assert state_of(world, drafts=drafts) == before
        assert attempt.refused, attempt.responses
