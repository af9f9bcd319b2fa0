"""Preservation packages: a record with real media as a BagIt bag, checked byte for byte."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from PIL import Image

from heritage.access import Access
from heritage.models import RecordMedia, RecordPage
from heritage.models.people import Consent, Person
from heritage.models.reference import Team
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption, MediaAsset, ProcessingState
from tests.factories import make_record
from tests.media_pipeline import mediagen

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o\n"


def ingest(path, title):
    collection = Team.objects.get(province__name_vi="Tuyên Quang").collection
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, title=title, collection=collection).asset
    asset.refresh_from_db()
    assert asset.state == ProcessingState.READY, asset.error
    return asset


@pytest.fixture
def record(archive, work_dirs, tmp_path):
    page = make_record("Lễ hội Lồng Tồng", access=Access.RESTRICTED)
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (320, 240), (200, 30, 30)).save(photo, "JPEG")
    assets = [
        ingest(photo, "Rước thần"),
        ingest(mediagen.video(tmp_path, "clip.mp4", size="160x90", duration=1), "Múa"),
    ]
    for order, asset in enumerate(assets):
        RecordMedia.objects.create(page=page, asset=asset, sort_order=order)
    Caption.objects.create(asset=assets[1], language="vi", file=ContentFile(VTT, name="c.vtt"))
    person = Person.objects.create(name="Hoàng Văn Thụ", role="informant")
    Consent.objects.create(
        person=person, granted_by=person.name, granted_on=datetime.date(2024, 3, 1)
    )
    assets[1].people.add(person)
    call_command("verify_fixity")
    return page, assets


def export(page, directory):
    call_command("export_package", page.record_id, str(directory))
    return Path(directory) / page.record_id


def test_a_restricted_record_exports_as_a_valid_bag_with_everything(record, tmp_path):
    page, assets = record
    bag = export(page, tmp_path / "out")
    call_command("verify_package", str(bag))
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert f"External-Identifier: {page.record_id}" in info
    assert "Source-Organization:" in info and "Bagging-Date:" in info
    described = json.loads((bag / "data/metadata/record.json").read_text(encoding="utf-8"))
    assert described["versions"]["vi"]["title"] == "Lễ hội Lồng Tồng"
    assert [m["sha256"] for m in described["media"]] == [a.sha256 for a in assets]
    for item in described["media"]:
        assert (bag / "data" / item["file"]).exists()
    assert "Lễ hội Lồng Tồng" in (bag / "data/metadata/dublin_core.xml").read_text("utf-8")
    consents = json.loads((bag / "data/consent/consents.json").read_text(encoding="utf-8"))
    assert [c["granted_by"] for c in consents] == ["Hoàng Văn Thụ"]
    assert list((bag / "data/captions").rglob("vi-captions.vtt"))
    events = json.loads((bag / "data/premis/events.json").read_text(encoding="utf-8"))
    for asset in assets:
        types = [e["eventType"] for e in events[str(asset.uuid)]]
        assert {"ingestion", "migration", "fixity check"} <= set(types)


def test_one_changed_byte_in_a_master_fails_verification_naming_the_file(record, tmp_path):
    page, assets = record
    bag = export(page, tmp_path / "out")
    master = next((bag / "data/masters").rglob("clip.mp4"))
    data = bytearray(master.read_bytes())
    data[200] ^= 0x01
    master.write_bytes(bytes(data))
    errors = StringIO()
    with pytest.raises(CommandError, match="failed validation"):
        call_command("verify_package", str(bag), stderr=errors)
    assert f"changed: {master.relative_to(bag)}" in errors.getvalue()


def test_an_unknown_record_is_a_clear_error(archive, tmp_path):
    with pytest.raises(CommandError, match="No record has the id"):
        call_command("export_package", "XX-NONE-9999", str(tmp_path))


def test_round_trip_brings_the_record_and_its_masters_back(record, tmp_path):
    page, assets = record
    bag = export(page, tmp_path / "out")
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_package", str(bag))
    sums = sorted(a.sha256 for a in assets)
    record_id = page.record_id
    RecordPage.objects.filter(record_id=record_id).delete()
    MediaAsset.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_package", str(bag))
    back = RecordPage.objects.get(record_id=record_id, locale__language_code="vi")
    assert back.title == "Lễ hội Lồng Tồng"
    assert sorted(MediaAsset.objects.values_list("sha256", flat=True)) == sums


def test_a_bag_that_fails_validation_is_refused(record, tmp_path):
    page, _assets = record
    bag = export(page, tmp_path / "out")
    (bag / "data/metadata/record.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="failed validation"):
        call_command("import_package", str(bag))
