"""Media follows its team: a Lào Cai officer can neither use nor take a Tuyên Quang item.

Linking an asset to a restricted record hides it from the public, so every
way of attaching one (import rows, the record editor, the chooser, commands,
uploads) asks for "choose" in the asset's own collection; captions and
masters belong to the asset's team too.
"""

import io
import json
import shutil
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, streamfield

from heritage.models import ImportRun, Person, Province, RecordPage
from media_pipeline.models import Caption, MediaAsset, UploadSession
from media_pipeline.uploads import finish
from tests.factories import make_record, team_asset, team_member
from tests.heritage.importgen import make_rows, write_csv
from tests.heritage.test_curation import festival_form
from tests.heritage.test_import_media import english_admin
from tests.media_pipeline.test_tus import create, patch

pytestmark = pytest.mark.django_db

TQ_TITLE = "Hát then Tuyên Quang"
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def tq_asset(archive, work_dirs, tiny):
    return team_asset(archive["Tuyên Quang"], tiny["wav"], "Hát then Tuyên Quang")


@pytest.fixture
def lc_asset(archive, work_dirs, tiny):
    return team_asset(archive["Lào Cai"], tiny["video"], "Múa xòe Lào Cai")


@pytest.fixture
def lc_editor(archive):
    editor = team_member(archive["Lào Cai"], "editors", "laocai-editor")
    english_admin(editor)  # the admin's messages checked below are English
    return editor


def lao_cai_row(media):
    row = make_rows(1, ["Lào Cai"])[0]
    row.update(access="restricted", media=media)
    return row


def links_of(record_id):
    """Assets linked by the record's latest revision (draft or live), by id."""
    page = RecordPage.objects.filter(record_id=record_id, locale__language_code="vi").first()
    if page is None:
        return None
    draft = page.specific.get_latest_revision_as_object()
    return {link.asset_id for link in draft.media_links.all()}


def import_by_command(sheet, user, *options):
    out, err = io.StringIO(), io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(
            "import_records", str(sheet), "--user", user.username, *options,
            "--report", str(sheet.with_suffix(".json")), stdout=out, stderr=err,
        )  # fmt: skip
    return json.loads(sheet.with_suffix(".json").read_text())["rows"]


def import_by_admin(client, upload, user, *options):
    client.force_login(user)
    data = {"file": SimpleUploadedFile(upload.name, upload.read_bytes())}
    data.update({option.removeprefix("--").replace("-", "_"): "on" for option in options})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("heritage_import:index"), data)
    assert response.status_code == 302, response.content
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.DONE, run.error_message
    return run.report


def said(way, message, **params):
    """A row's reason as the report gives it: the admin's task in the archive's language."""
    with translation.override("vi" if way == "admin" else "en"):
        return gettext(message) % params


def refused(way):
    return said(way, "you may not use media of another team: %(title)s", title=TQ_TITLE)


def run_import(way, client, sheet, user, *options):
    if way == "command":
        return import_by_command(sheet, user, *options)
    return import_by_admin(client, sheet, user, *options)


# --- import rows ------------------------------------------------------------------


@pytest.mark.parametrize("way", ["command", "admin"])
def test_an_import_row_naming_another_teams_asset_by_uuid_is_refused(
    way, client, tq_asset, lc_asset, lc_editor, tmp_path
):
    row = lao_cai_row(f"asset:{tq_asset.uuid}")
    sheet = write_csv(tmp_path / "s.csv", [row])
    for options in (["--dry-run"], []):
        (result,) = run_import(way, client, sheet, lc_editor, *options)
        assert result["status"] == "failed"
        assert result["errors"] == [{"column": "media", "reason": refused(way)}]
    assert links_of(row["record_id"]) is None  # nothing written
    assert not tq_asset.record_links.exists()

    row["media"] = f"asset:{lc_asset.uuid}"
    (result,) = run_import(way, client, write_csv(tmp_path / "s.csv", [row]), lc_editor)
    assert result["status"] == "created", result["errors"]
    assert links_of(row["record_id"]) == {lc_asset.pk}


def with_media(sheet, media):
    """The sheet and its media folder as the admin takes them: one .zip."""
    bundle = sheet.with_suffix(".zip")
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(sheet, sheet.name)
        for path in media.iterdir():
            archive.write(path, path.name)
    return bundle


@pytest.mark.parametrize("way", ["command", "admin"])
def test_an_import_file_with_the_bytes_of_another_teams_asset_is_refused(
    way, client, tq_asset, lc_asset, lc_editor, tmp_path, tiny
):
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(tiny["wav"], media / "ghi-am.wav")  # the Tuyên Quang master, byte for byte
    shutil.copy(tiny["video"], media / "mua.mp4")  # the Lào Cai one

    def run(row, *options):
        sheet = write_csv(tmp_path / "s.csv", [row])
        if way == "command":
            return import_by_command(sheet, lc_editor, "--media-dir", str(media), *options)
        return import_by_admin(client, with_media(sheet, media), lc_editor, *options)

    row = lao_cai_row("ghi-am.wav")
    for options in (["--dry-run"], []):
        (result,) = run(row, *options)
        assert result["errors"] == [{"column": "media", "reason": refused(way)}]
    assert links_of(row["record_id"]) is None
    assert MediaAsset.objects.count() == 2

    row["media"] = "mua.mp4"
    (result,) = run(row)
    assert result["status"] == "created", result["errors"]
    assert links_of(row["record_id"]) == {lc_asset.pk}  # the existing item, reused
    assert MediaAsset.objects.count() == 2


def test_a_media_file_of_an_import_goes_into_the_rows_team_collection(
    archive, lc_editor, tmp_path, tiny, work_dirs
):
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(tiny["wav"], media / "ghi-am.wav")
    row = lao_cai_row("ghi-am.wav")
    (result,) = import_by_command(
        write_csv(tmp_path / "s.csv", [row]), lc_editor, "--media-dir", str(media)
    )
    assert result["status"] == "created", result["errors"]
    (asset,) = MediaAsset.objects.all()
    assert asset.collection == archive["Lào Cai"].collection


# --- publishing imports ------------------------------------------------------------


@pytest.mark.parametrize("way", ["command", "admin"])
def test_a_reviewer_publishes_imports_only_in_their_own_province(way, client, archive, tmp_path):
    # Reviewer in Lào Cai, editor in Tuyên Quang: may import there, not publish there.
    user = team_member(archive["Lào Cai"], "reviewers", "reviewer-laocai")
    archive["Tuyên Quang"].editors.user_set.add(user)
    rows = make_rows(2, ["Tuyên Quang", "Lào Cai"])
    results = run_import(way, client, write_csv(tmp_path / "s.csv", rows), user, "--publish")
    assert [r["status"] for r in results] == ["failed", "created"]
    reason = said(way, "you may not publish in %(province)s", province="Tuyên Quang")
    assert results[0]["errors"] == [{"column": "province", "reason": reason}]
    assert not RecordPage.objects.filter(record_id=rows[0]["record_id"]).exists()
    assert RecordPage.objects.get(record_id=rows[1]["record_id"], locale__language_code="vi").live


def test_an_editor_cannot_publish_by_command(archive, lc_editor, tmp_path):
    rows = make_rows(1, ["Lào Cai"])
    (result,) = import_by_command(write_csv(tmp_path / "s.csv", rows), lc_editor, "--publish")
    assert result["errors"] == [{"column": "province", "reason": "you may not publish in Lào Cai"}]
    assert not RecordPage.objects.filter(record_id=rows[0]["record_id"]).exists()


# --- the record editor and the chooser ---------------------------------------------


@pytest.fixture
def lc_record(archive):
    return make_record("Lễ cúng rừng", province="Lào Cai", groups=("H'Mông",))


def post_record(client, page, **fields):
    form = festival_form(
        slug=page.slug,
        title=page.title,
        province_as_recorded=Province.objects.get(name_vi="Lào Cai").pk,
        **fields,
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)


def draft_of(page):
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def saved_links(page):
    return {link.asset_id for link in draft_of(page).media_links.all()}


def test_the_record_editor_refuses_another_teams_asset_as_a_media_link(
    client, lc_record, lc_editor, tq_asset, lc_asset
):
    client.force_login(lc_editor)
    response = post_record(client, lc_record, media_links=inline_formset([{"asset": tq_asset.pk}]))
    assert response.status_code == 200
    assert "You may not use media of another team." in response.content.decode()
    assert saved_links(lc_record) == set()

    response = post_record(client, lc_record, media_links=inline_formset([{"asset": lc_asset.pk}]))
    assert response.status_code == 302
    assert saved_links(lc_record) == {lc_asset.pk}


def test_the_record_editor_refuses_another_teams_asset_in_a_body_block(
    client, lc_record, lc_editor, tq_asset, lc_asset
):
    client.force_login(lc_editor)
    body = streamfield([("audio", {"asset": tq_asset.pk, "caption": ""})])
    response = post_record(client, lc_record, body=body)
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        "You may not use media of another team: Hát then Tuyên Quang."
    ]
    assert draft_of(lc_record).body_asset_ids == set()

    body = streamfield([("video", {"asset": lc_asset.pk, "caption": ""})])
    assert post_record(client, lc_record, body=body).status_code == 302
    assert draft_of(lc_record).body_asset_ids == {lc_asset.pk}


def test_a_record_keeps_another_teams_asset_a_superuser_attached(
    client, lc_record, lc_editor, tq_asset, officer
):
    client.force_login(officer)  # a superuser may use any media
    links = inline_formset([{"asset": tq_asset.pk}])
    assert post_record(client, lc_record, media_links=links).status_code == 302
    client.force_login(lc_editor)
    draft = type(lc_record).objects.get(pk=lc_record.pk).get_latest_revision_as_object()
    (link,) = draft.media_links.all()
    links = inline_formset([{"id": link.pk or "", "asset": tq_asset.pk, "caption": "Hát"}])
    assert post_record(client, lc_record, media_links=links).status_code == 302


def chooser_html(client):
    response = client.get(reverse("wagtailsnippetchoosers_media_pipeline_mediaasset:choose"))
    assert response.status_code == 200
    return response.json()["html"]


def test_the_media_chooser_lists_only_the_users_teams_media(
    client, lc_editor, tq_asset, lc_asset, officer
):
    client.force_login(lc_editor)
    html = chooser_html(client)
    assert "Múa xòe Lào Cai" in html and "Hát then Tuyên Quang" not in html
    chosen = "wagtailsnippetchoosers_media_pipeline_mediaasset:chosen"
    assert client.get(reverse(chosen, args=[tq_asset.pk])).status_code == 404
    assert client.get(reverse(chosen, args=[lc_asset.pk])).status_code == 200
    client.force_login(officer)
    html = chooser_html(client)
    assert "Múa xòe Lào Cai" in html and "Hát then Tuyên Quang" in html


def test_a_person_appears_only_in_their_teams_media(client, archive, lc_editor, tq_asset, lc_asset):
    # A person without consent hides the media they appear in: naming them is attaching.
    person = Person.objects.create(name="Ông Vàng A Sử", role="informant", team=archive["Lào Cai"])
    client.force_login(lc_editor)
    edit = reverse("wagtailsnippets_heritage_person:edit", args=[person.pk])
    form = {"name": person.name, "role": "informant", "team": archive["Lào Cai"].pk}
    response = client.post(edit, {**form, "media_assets": [tq_asset.pk]})
    assert response.status_code == 200
    assert "You may not use media of another team." in response.content.decode()
    assert not person.media_assets.exists()
    assert client.post(edit, {**form, "media_assets": [lc_asset.pk]}).status_code == 302
    assert list(person.media_assets.all()) == [lc_asset]


# --- commands and uploads ------------------------------------------------------------


def ingest_media(path, *options):
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("ingest_media", str(path), *options, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_ingest_media_as_a_user_follows_the_upload_rules(
    archive, lc_record, lc_editor, tq_asset, tiny, tmp_path
):
    copy = tmp_path / "ghi-am.wav"
    shutil.copy(tiny["wav"], copy)  # the Tuyên Quang master's bytes
    user = ["--user", lc_editor.username]
    with pytest.raises(CommandError, match="another team: Hát then Tuyên Quang"):
        ingest_media(copy, *user, "--record", lc_record.record_id)
    assert saved_links(lc_record) == set()
    with pytest.raises(CommandError):
        ingest_media(tiny["video"], *user, "--collection", archive["Tuyên Quang"].collection.name)
    with pytest.raises(CommandError, match="No such user"):
        ingest_media(tiny["video"], "--user", "nobody")
    assert MediaAsset.objects.count() == 1

    data = ingest_media(tiny["video"], *user, "--record", lc_record.record_id)
    asset = MediaAsset.objects.get(pk=data["asset_id"])
    assert asset.collection == archive["Lào Cai"].collection
    assert asset.uploaded_by == lc_editor
    assert saved_links(lc_record) == {asset.pk}


def test_an_upload_with_another_teams_bytes_is_not_linked_to_a_record(
    client, lc_record, lc_editor, tq_asset, tiny, work_dirs
):
    client.force_login(lc_editor)
    data = tiny["wav"].read_bytes()
    url = create(client, len(data), filename="a.wav", record=lc_record.record_id)["Location"]
    patch(client, url, data, 0)
    session = finish(UploadSession.objects.get().pk)
    assert session.phase == "failed" and "Hát then Tuyên Quang" in session.error
    assert saved_links(lc_record) == set()


# --- captions --------------------------------------------------------------------------


def caption_of(asset):
    caption = Caption(asset=asset, language="vi", kind="captions")
    caption.file.save("phu-de.vtt", io.BytesIO(VTT), save=False)
    caption.save()
    return caption


def caption_url(action, *args):
    return reverse(f"wagtailsnippets_media_pipeline_caption:{action}", args=args)


def caption_form(asset, language="vi"):
    return {
        "asset": asset.pk,
        "language": language,
        "kind": "captions",
        "label": "",
        "file": SimpleUploadedFile("phu-de.vtt", VTT, "text/vtt"),
    }


def test_captions_of_another_teams_asset_are_out_of_reach(client, lc_editor, tq_asset):
    lc_editor.user_permissions.add(Permission.objects.get(codename="delete_caption"))
    caption = caption_of(tq_asset)
    client.force_login(lc_editor)
    listing = client.get(caption_url("list")).content.decode()
    assert "Hát then Tuyên Quang" not in listing
    assert client.get(caption_url("edit", caption.pk)).status_code != 200
    client.post(caption_url("edit", caption.pk), caption_form(tq_asset, language="en"))
    client.post(caption_url("delete", caption.pk))
    caption.refresh_from_db()
    assert caption.language == "vi"

    response = client.post(caption_url("add"), caption_form(tq_asset, language="en"))
    assert response.status_code == 200 and "asset" in response.context["form"].errors
    assert Caption.objects.count() == 1


def test_an_officer_adds_edits_and_lists_captions_of_their_teams_asset(client, lc_editor, lc_asset):
    client.force_login(lc_editor)
    assert client.get(caption_url("add")).status_code == 200
    assert client.post(caption_url("add"), caption_form(lc_asset)).status_code == 302
    caption = Caption.objects.get()
    assert "Múa xòe Lào Cai" in client.get(caption_url("list")).content.decode()
    assert client.get(caption_url("edit", caption.pk)).status_code == 200
    response = client.post(caption_url("edit", caption.pk), caption_form(lc_asset, "tyz"))
    assert response.status_code == 302
    caption.refresh_from_db()
    assert caption.language == "tyz"


# --- masters -----------------------------------------------------------------------------


def test_a_master_is_served_to_its_own_team_only(
    client, archive, tq_asset, lc_editor, officer, tiny
):
    url = tq_asset.file_url("master")
    client.force_login(lc_editor)
    assert client.get(url).status_code == 404
    client.force_login(team_member(archive["Tuyên Quang"], "editors", "tq-editor"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny["wav"].read_bytes()
    client.force_login(officer)
    assert client.get(url).status_code == 200
