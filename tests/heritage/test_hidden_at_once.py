"""When a record or asset is hidden, its old file URLs are gone at once, and public files
revalidate cheaply with a short lifetime."""

import pytest
from django.test import TestCase
from django.utils.http import parse_http_date

from heritage.access import Access
from media_pipeline.ingest import ingest_file
from media_pipeline.models import AssetAccess, MediaAsset
from tests.media_pipeline.helpers import link_to_public_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_video(archive, work_dirs, tiny, settings):
    # A queue that runs nothing: hiding must not wait for a worker.
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(tiny["video"]).asset
    page = link_to_public_record(asset)
    asset.refresh_from_db()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return page, asset


def poster_url(asset):
    asset = MediaAsset.objects.get(pk=asset.pk)
    return asset.rendition("poster").url


def commit(action):
    with TestCase.captureOnCommitCallbacks(execute=True):
        action()


def test_restricting_a_record_makes_its_old_file_urls_404_for_everyone(
    client, admin_client, public_video
):
    page, asset = public_video
    url = poster_url(asset)
    assert client.get(url).status_code == 200
    page.access = Access.RESTRICTED
    commit(lambda: page.save_revision().publish())
    assert client.get(url).status_code == 404
    # Even an officer's old URL (say, in a cache or a shared link) points nowhere now.
    assert admin_client.get(url).status_code == 404
    assert admin_client.get(poster_url(asset)).status_code == 200


def test_unpublishing_a_record_hides_its_media_at_once(client, public_video):
    page, asset = public_video
    url = poster_url(asset)
    commit(page.unpublish)
    assert poster_url(asset) != url
    assert client.get(url).status_code == 404


def test_deleting_a_record_hides_its_media_at_once(client, public_video):
    page, asset = public_video
    url = poster_url(asset)
    commit(page.delete)
    assert poster_url(asset) != url


def test_restricting_an_asset_hides_it_at_once(client, public_video):
    _page, asset = public_video
    url = poster_url(asset)
    asset.access = AssetAccess.RESTRICTED
    commit(asset.save)
    assert poster_url(asset) != url
    assert client.get(url).status_code == 404


def test_the_pipelines_own_saves_do_not_move_a_public_asset(public_video):
    page, asset = public_video
    url = poster_url(asset)
    commit(lambda: page.save_revision().publish())  # still public
    asset.title = "Chiêng"
    commit(lambda: asset.save(update_fields=["title"]))
    assert poster_url(asset) == url


def test_public_files_carry_validators_and_a_short_lifetime(client, public_video):
    _page, asset = public_video
    url = poster_url(asset)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 60
    assert parse_http_date(response["Last-Modified"]) > 0
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]
