"""Who may change or delete a media item, tried through the admin's real views."""

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Collection

from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset
from media_pipeline.storage import private_storage, walk
from tests.factories import team_member
from tests.media_pipeline.helpers import link_to_public_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuyen_quang_video(archive, work_dirs, tiny):
    team = archive["Tuyên Quang"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["video"], collection=team.collection, title="Then Tày").asset
    return MediaAsset.objects.get(pk=asset.pk)


def edit_url(asset):
    return reverse("wagtailsnippets_media_pipeline_mediaasset:edit", args=[asset.pk])


def delete_url(asset):
    return reverse("wagtailsnippets_media_pipeline_mediaasset:delete", args=[asset.pk])


def post_edit(client, asset, title):
    return client.post(
        edit_url(asset),
        {"title": title, "collection": asset.collection_id, "access": "public"},
    )


def files_of(asset):
    storage = private_storage()
    return list(walk(storage, f"masters/{asset.uuid.hex[:2]}/{asset.uuid.hex}")) + list(
        walk(storage, f"renditions/{asset.uuid.hex[:2]}/{asset.uuid.hex}")
    )


@pytest.mark.parametrize("group", ["editors", "reviewers"])
def test_another_provinces_officer_can_neither_edit_nor_delete(
    client, archive, tuyen_quang_video, group
):
    client.force_login(team_member(archive["Lào Cai"], group, f"laocai-{group}"))
    asset = tuyen_quang_video
    assert client.get(edit_url(asset)).status_code != 200
    post_edit(client, asset, "Đổi tên trộm")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(delete_url(asset))
    asset.refresh_from_db()
    assert asset.title == "Then Tày"
    assert files_of(asset)


def test_own_editor_edits_but_may_not_delete(client, archive, tuyen_quang_video):
    client.force_login(team_member(archive["Tuyên Quang"], "editors", "tq-editor"))
    asset = tuyen_quang_video
    assert client.get(edit_url(asset)).status_code == 200
    post_edit(client, asset, "Hát then")
    asset.refresh_from_db()
    assert asset.title == "Hát then"
    client.post(delete_url(asset))
    assert MediaAsset.objects.filter(pk=asset.pk).exists()


def test_own_reviewer_deletes_and_the_files_go_on_commit(client, archive, tuyen_quang_video):
    client.force_login(team_member(archive["Tuyên Quang"], "reviewers", "tq-reviewer"))
    asset = tuyen_quang_video
    assert files_of(asset)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(delete_url(asset))
    assert response.status_code == 302
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert files_of(asset) == []


def test_a_media_item_a_record_uses_cannot_be_deleted(client, archive, tuyen_quang_video):
    client.force_login(team_member(archive["Tuyên Quang"], "reviewers", "tq-reviewer"))
    asset = tuyen_quang_video
    with TestCase.captureOnCommitCallbacks(execute=True):
        link_to_public_record(asset)
    response = client.post(delete_url(asset), follow=True)
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    assert files_of(asset)
    assert "remove it from the record first" in response.content.decode() or (
        "gỡ" in response.content.decode()
    )


def test_a_media_item_with_captions_is_deleted_with_them(client, archive, tuyen_quang_video):
    from django.core.files.base import ContentFile

    from media_pipeline.models import Caption

    asset = tuyen_quang_video
    caption = Caption(asset=asset, language="vi")
    caption.file.save("then.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin chao\n"))
    caption_file = caption.file.name
    client.force_login(team_member(archive["Tuyên Quang"], "reviewers", "tq-reviewer"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(delete_url(asset))
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not Caption.objects.filter(pk=caption.pk).exists()
    assert not private_storage().exists(caption_file)


def test_edit_form_offers_only_the_officers_collections(client, archive, tuyen_quang_video):
    client.force_login(team_member(archive["Tuyên Quang"], "editors", "tq-editor"))
    asset = tuyen_quang_video
    form = client.get(edit_url(asset)).context["form"]
    offered = list(form.fields["collection"].queryset)
    assert offered == [archive["Tuyên Quang"].collection]
    # Posting another province's collection is refused, and nothing is moved.
    response = client.post(
        edit_url(asset),
        {"title": "Then Tày", "collection": archive["Lào Cai"].collection_id, "access": "public"},
    )
    assert response.status_code == 200
    assert "collection" in response.context["form"].errors
    asset.refresh_from_db()
    assert asset.collection == archive["Tuyên Quang"].collection


def test_superusers_edit_form_offers_every_collection(client, officer, tuyen_quang_video):
    client.force_login(officer)
    form = client.get(edit_url(tuyen_quang_video)).context["form"]
    assert set(form.fields["collection"].queryset) == set(Collection.objects.all())
