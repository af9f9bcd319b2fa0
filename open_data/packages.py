"""Preservation packages: the archive's own copy of a record, as a BagIt bag.

Unlike the rest of open_data, a package is never public: it holds restricted
records, the consent records of the people in them (the officers' copy) and
every master byte for byte. Its description still comes from the one Dublin
Core mapping, fed the record's versions directly rather than the public set.

A bag holds::

    data/masters/<asset uuid>/<file>      the original uploads, read through storage
    data/metadata/dublin_core.xml         open_data.dublin_core, as oai_dc
    data/metadata/record.json             the record in both languages, media, people
    data/consent/consents.json (+ forms)  the consent records of its people
    data/captions/<uuid>/<lang>-<kind>.vtt  captions and transcripts
    data/premis/events.json               the PREMIS events of each master
"""

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import bagit
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from wagtail.models import Locale

from heritage.curation import section_for
from heritage.models import CustomPage, EthnicGroup, FestivalPage, Province, RecordPage
from heritage.models.people import Consent, Person
from heritage.models.records import FestivalEdition, RecordMedia, RecordSource
from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset, PreservationEvent
from open_data.dublin_core import dublin_core, oai_dc_element
from open_data.records import LANGUAGES

SOURCE_ORGANIZATION = "Digital archive of the festivals and customs of Vietnam's ethnic minorities"
# Page bookkeeping that a recreated record gets anew.
PAGE_INTERNALS = {
    "id", "path", "depth", "numchild", "translation_key", "locale", "latest_revision",
    "live_revision", "content_type", "page_ptr", "owner", "locked_by", "url_path",
    "draft_title", "has_unpublished_changes", "first_published_at", "last_published_at",
    "latest_revision_created_at", "locked", "locked_at", "live", "expired", "alias_of",
    "go_live_at", "expire_at", "recordpage_ptr", "record_key",
}  # fmt: skip


class PackageError(Exception):
    """The package cannot be made, checked or read; the message says why."""


def record_versions(record_id):
    """Every language version of a record, whatever its access or state, Vietnamese first."""
    pages = (
        RecordPage.objects.filter(record_id=record_id)
        .with_custom_type()
        .select_related("locale", "province", "province_as_recorded")
        .prefetch_related("ethnic_groups", "keywords")
    )
    found = {page.locale.language_code: page.specific for page in pages}
    return [found[code] for code in LANGUAGES if code in found]


def _value(value):
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "raw_data"):  # a StreamField
        return list(value.raw_data)
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def page_fields(page):
    """Every field of a record version that recreating it needs."""
    fields = {}
    for field in page._meta.concrete_fields:
        if field.name not in PAGE_INTERNALS:
            fields[field.name] = _value(getattr(page, field.name))
    fields["published"] = page.live
    fields["province_as_recorded"] = page.province_as_recorded.name_vi
    fields["province"] = page.province.name_vi if page.province_id else None
    fields["ethnic_groups"] = sorted(g.name_vi for g in page.ethnic_groups.all())
    fields["keywords"] = sorted(t.name for t in page.keywords.all())
    fields["sources"] = [{"citation": s.citation, "url": s.url} for s in page.sources.all()]
    fields["participants"] = [
        {"person": p.person_id, "role": p.role} for p in page.participants.all()
    ]
    if hasattr(page, "editions"):
        fields["editions"] = [
            {
                "year": e.year,
                "start_date": _value(e.start_date),
                "end_date": _value(e.end_date),
                "place": e.place,
                "notes": e.notes,
            }
            for e in page.editions.all()
        ]
    return fields


def record_assets(versions):
    """The record's media items (all of them, restricted too), in the record's order."""
    return list(
        MediaAsset.objects.filter(record_links__page=versions[0])
        .order_by("record_links__sort_order")
        .prefetch_related("renditions", "captions")
        .distinct()
    )


def record_people(versions, assets):
    """The people of a record: its participants and the people in its media."""
    ids = {p.person_id for page in versions for p in page.participants.all()}
    ids |= set(Person.objects.filter(media_assets__in=assets).values_list("pk", flat=True))
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


def _copy_from_storage(field_file, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    with field_file.storage.open(field_file.name, "rb") as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)


def _write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def premis_events(assets):
    """The PREMIS events of each master, oldest first."""
    by_asset = {}
    for event in PreservationEvent.objects.filter(
        asset_uuid__in=[str(a.uuid) for a in assets]
    ).order_by("date", "pk"):
        by_asset.setdefault(event.asset_uuid, []).append(
            {
                "eventType": event.event_type,
                "eventDateTime": event.date.isoformat(),
                "eventOutcome": event.outcome,
                "eventOutcomeDetail": event.outcome_detail,
                "linkingAgent": event.agent,
                "linkingObject": {"uuid": event.asset_uuid, "sha256": event.asset_sha256},
            }
        )
    return by_asset


def export_package(record_id, directory):
    """Write one record as a BagIt bag in ``directory/<record_id>``; returns the bag's path."""
    versions = record_versions(record_id)
    if not versions:
        raise PackageError(f"No record has the id {record_id!r}.")
    bag_dir = Path(directory) / record_id
    if bag_dir.exists():
        raise PackageError(f"{bag_dir} exists already.")
    work = Path(directory) / f".{record_id}.partial"
    shutil.rmtree(work, ignore_errors=True)
    data = work
    assets = record_assets(versions)
    media = []
    for asset in assets:
        master = Path("masters") / asset.uuid.hex / Path(asset.file.name).name
        _copy_from_storage(asset.file, data / master)
        captions = []
        for caption in asset.captions.all():
            rel = Path("captions") / asset.uuid.hex / f"{caption.language}-{caption.kind}.vtt"
            _copy_from_storage(caption.file, data / rel)
            captions.append(
                {"language": caption.language, "kind": caption.kind, "label": caption.label,
                 "file": str(rel)}
            )  # fmt: skip
        media.append(
            {
                "uuid": str(asset.uuid),
                "title": asset.title,
                "file": str(master),
                "original_filename": asset.original_filename,
                "sha256": asset.sha256,
                "file_size": asset.file_size,
                "media_type": asset.media_type,
                "access": asset.access,
                "description": asset.description,
                "sensitivity_warning": asset.sensitivity_warning,
                "recorded_by": asset.recorded_by,
                "recorded_by_en": asset.recorded_by_en,
                "recorded_on": _value(asset.recorded_on),
                "caption": next(
                    (link.caption for link in versions[0].media_links.filter(asset=asset)), ""
                ),
                "captions": captions,
            }
        )
    people = record_people(versions, assets)
    _write_json(
        data / "metadata" / "record.json",
        {
            "record_id": record_id,
            "kind": versions[0].kind,
            "versions": {page.locale.language_code: page_fields(page) for page in versions},
            "media": media,
            "people": [
                {"id": p.pk, "name": p.name, "role": p.role, "birth_year": p.birth_year,
                 "locality": p.locality, "ethnic_group": p.ethnic_group_id and
                 p.ethnic_group.name_vi}
                for p in people
            ],
        },
    )  # fmt: skip
    consents = []
    for consent in Consent.objects.filter(person__in=people).order_by("pk"):
        item = {
            field.name: _value(getattr(consent, field.name))
            for field in consent._meta.concrete_fields
            if field.name != "signed_form"
        }
        if consent.signed_form:
            rel = Path("consent") / f"{consent.pk}-{Path(consent.signed_form.name).name}"
            _copy_from_storage(consent.signed_form, data / rel)
            item["signed_form"] = str(rel)
        consents.append(item)
    _write_json(data / "consent" / "consents.json", consents)
    _write_json(data / "premis" / "events.json", premis_events(assets))
    dc = oai_dc_element(dublin_core(versions, assets))
    (data / "metadata").mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(dc).write(
        data / "metadata" / "dublin_core.xml", encoding="utf-8", xml_declaration=True
    )
    bagit.make_bag(
        str(work),
        {
            "Source-Organization": SOURCE_ORGANIZATION,
            "External-Identifier": record_id,
            "Bagging-Date": timezone.now().date().isoformat(),
        },
        checksums=["sha256"],
    )
    work.rename(bag_dir)
    return bag_dir


def verify_package(directory):
    """The problems of a bag, one line each naming the file; [] when it is whole."""
    try:
        bag = bagit.Bag(str(directory))
    except bagit.BagError as exc:
        return [f"not a bag: {exc}"]
    try:
        bag.validate()
    except bagit.BagValidationError as exc:
        problems = []
        for detail in exc.details or []:
            if isinstance(detail, bagit.ChecksumMismatch):
                problems.append(f"changed: {detail.path}")
            elif isinstance(detail, bagit.FileMissing):
                problems.append(f"missing: {detail.path}")
            elif isinstance(detail, bagit.UnexpectedFile):
                problems.append(f"not in the manifest: {detail.path}")
            else:
                problems.append(str(detail))
        return problems or [exc.message]
    return []


# Kept in record.json but set by import_package through relations, not as plain fields.
RELATIONS = {
    "published", "province_as_recorded", "province", "ethnic_groups", "keywords", "sources",
    "participants", "editions",
}  # fmt: skip


def _fill(page, fields):
    for name, value in fields.items():
        if name not in RELATIONS:
            setattr(page, name, value)
    page.province_as_recorded = Province.objects.get(name_vi=fields["province_as_recorded"])
    if fields.get("province"):
        page.province = Province.objects.get(name_vi=fields["province"])


def _relations(page, fields):
    page.ethnic_groups.set(EthnicGroup.objects.filter(name_vi__in=fields["ethnic_groups"]))
    page.keywords.set(fields["keywords"])
    for order, source in enumerate(fields["sources"]):
        RecordSource.objects.create(page=page, sort_order=order, **source)
    for order, edition in enumerate(fields.get("editions", [])):
        FestivalEdition.objects.create(page_id=page.pk, sort_order=order, **edition)


def import_package(directory):
    """Recreate a record and its media from a bag, in one transaction; returns the vi page.

    The bag is validated first; a record whose id exists already is refused.
    Masters go through the one ingest path, so their checksums are checked again.
    """
    problems = verify_package(directory)
    if problems:
        raise PackageError("The bag failed validation: " + "; ".join(problems))
    data = Path(directory) / "data"
    described = json.loads((data / "metadata" / "record.json").read_text(encoding="utf-8"))
    record_id = described["record_id"]
    if RecordPage.objects.filter(record_id=record_id).exists():
        raise PackageError(f"A record with the id {record_id} exists already.")
    model = FestivalPage if described["kind"] == "festival" else CustomPage
    with transaction.atomic():
        vi_fields = described["versions"]["vi"]
        page = model()
        _fill(page, vi_fields)
        vi = Locale.objects.get(language_code="vi")
        section_for(page.province_as_recorded, vi).add_child(instance=page)
        _relations(page, vi_fields)
        for order, item in enumerate(described["media"]):
            result = ingest_file(
                data / item["file"],
                title=item["title"],
                original_filename=item["original_filename"],
                details={
                    key: item.get(key, "")
                    for key in (
                        "description",
                        "access",
                        "sensitivity_warning",
                        "recorded_by",
                        "recorded_by_en",
                    )
                },
            )
            if result.asset.sha256 != item["sha256"]:
                raise PackageError(f"{item['file']} does not have its recorded SHA-256.")
            RecordMedia.objects.create(
                page=page, asset=result.asset, sort_order=order, caption=item["caption"]
            )
        revision = page.save_revision()
        if vi_fields["published"]:
            revision.publish()
        if "en" in described["versions"]:
            en_fields = described["versions"]["en"]
            page_en = page.copy_for_translation(Locale.objects.get(language_code="en"))
            _fill(page_en, en_fields)
            page_en.save()
            revision = page_en.save_revision()
            if en_fields["published"]:
                revision.publish()
    return page
