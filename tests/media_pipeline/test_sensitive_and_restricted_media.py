"""Sensitivity gates on every surface.

And HLS segments that stop answering once their record is restricted.
"""

import re

import pytest
from django.test import TestCase

from heritage.models import RecordMedia
from heritage.sensitivity import COOKIE
from media_pipeline.ingest import ingest_file
from tests.factories import make_record
from tests.media_pipeline.helpers import jpeg_with_exif, link_to_public_record, scripts_that_run

pytestmark = pytest.mark.django_db


def ingest(path, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, **kwargs).asset
    asset.refresh_from_db()
    return asset


def test_segment_url_that_worked_answers_404_once_its_record_is_restricted(
    client, archive, work_dirs, tiny
):
    video = ingest(tiny["video"], title="Múa xòe")
    page = link_to_public_record(video)
    html = client.get(page.url).content.decode()
    master = re.search(r'data-hls="([^"]+)"', html).group(1)
    variant = master.rsplit("/", 1)[0] + "/" + client.get(master).content.decode().split()[-1]
    segment_name = next(
        line for line in client.get(variant).content.decode().splitlines() if line.endswith(".m4s")
    )
    segment = variant.rsplit("/", 1)[0] + "/" + segment_name
    assert client.get(segment).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.access = "restricted"
        page.save_revision().publish()
    assert client.get(segment).status_code == 404
    assert client.get(master).status_code == 404


@pytest.fixture
def sensitive(archive, work_dirs, tmp_path):
    photo = ingest(jpeg_with_exif(tmp_path / "mo.jpg"), title="Nhà mồ")
    page = make_record(
        "Lễ bỏ mả", summary="Nội dung sau cảnh báo.", sensitivity_warning="Có hình ảnh mộ."
    )
    RecordMedia.objects.create(page=page, asset=photo)
    page.save_revision().publish()
    page.refresh_from_db()
    return page, photo


def test_cards_of_a_sensitive_record_show_no_picture_until_acknowledged(client, sensitive):
    page, photo = sensitive
    for url in ["/", page.get_parent().url]:
        html = client.get(url).content.decode()
        card = re.search(r'<li class="card card-sensitive">.*?</li>', html, re.S).group(0)
        assert "card-gate" in card and "<img" not in card, url
    client.get(page.url, {"ack": "1"})  # acknowledged once: the cookie remembers it
    html = client.get("/").content.decode()
    card = re.search(r'<li class="card card-sensitive">.*?</li>', html, re.S).group(0)
    assert "<img" in card and "card-gate" not in card


def test_sensitive_record_page_references_no_media_before_consent(client, sensitive):
    page, _photo = sensitive
    html = client.get(page.url).content.decode()
    assert "/files/" not in html and scripts_that_run(html) == []
    response = client.get(page.url, {"ack": "1"})
    assert "/files/" in response.content.decode()
    assert page.record_id in response.cookies[COOKIE].value
    # The acknowledgement is the record's, not the URL's: the bare URL now opens.
    assert "/files/" in client.get(page.url).content.decode()


def test_search_hit_of_a_sensitive_record_is_marked_without_its_text(client, sensitive):
    from search.documents import index_record

    index_record(sensitive[0].record_id)
    html = client.get("/search/", {"q": "bỏ mả"}).content.decode()
    hit = re.search(r'<li class="hit">.*?</li>', html, re.S).group(0)
    assert "badge-sensitive" in hit and "Nội dung sau cảnh báo" not in hit


def test_a_media_item_with_its_own_warning_is_not_fetched_before_consent(
    client, archive, work_dirs, tmp_path
):
    photo = ingest(jpeg_with_exif(tmp_path / "le.jpg"), title="Vật thiêng")
    photo.sensitivity_warning = "Vật thiêng của làng."
    photo.save()
    page = link_to_public_record(photo)
    html = client.get(page.url).content.decode()
    assert "Vật thiêng của làng." in html and "/files/" not in html
    assert f'name="ack" value="media:{photo.pk}"' in html
    html = client.get(page.url, {"ack": f"media:{photo.pk}"}).content.decode()
    assert "/files/" in html and "lightbox-link" in html
