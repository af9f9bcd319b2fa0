"""The whole public archive as three downloads: CSV, JSON and Dublin Core XML.

One row (or object, or ``oai_dc:dc`` element) per record, both its languages
side by side, from ``open_data.records.public_records()`` and the one Dublin
Core mapping. Records are read in chunks of :data:`CHUNK_SIZE` with the same
few queries per chunk, and the three files are written in one pass, to a
scratch folder first; only when all three are whole are they stored under
names unique to their content and named by a finished :class:`DatasetRun`,
so a download never sees a half-written file.

Each row carries its record's own licence and rights holder; the dataset as
a whole (the selection and arrangement of the metadata) is published under
:data:`DATASET_LICENCE`.
"""

import csv
import hashlib
import json
import logging
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from heritage.geo import public_coordinates
from heritage.importing.values import neutralise_formula
from heritage.models.records import Licence
from media_pipeline.storage import CHUNK, walk
from open_data.dublin_core import DC, OAI_DC, PUBLISHER, as_json, dublin_core, oai_dc_element
from open_data.models import DatasetRun
from open_data.records import LANGUAGES, described_records, permalink, public_records

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
PREFIX = "open-data"
DCTERMS = "http://purl.org/dc/terms/"
# The metadata as a whole; each record's own licence is in its row.
DATASET_LICENCE = Licence.CC_BY
TITLE = {
    "vi": "Hồ sơ lễ hội và phong tục các dân tộc thiểu số Việt Nam",
    "en": "Records of the festivals and customs of Vietnam's ethnic minorities",
}


@dataclass(frozen=True)
class Column:
    """One column of the data dictionary (the CSV's header, the JSON's keys)."""

    name: str
    type: str  # text, list (joined with "; " in the CSV), date, datetime, decimal, URI
    meaning: str
    example: str


COLUMNS = (
    Column("record_id", "text", _("Stable identifier of the record, shared by its languages"),
           "LH-2019-0001"),
    Column("url", "URI", _("Permanent address of the record on the archive"),
           "https://example.org/r/LH-2019-0001/"),
    Column("kind", "text", _("festival or custom"), "festival"),
    Column("type_vi", "text", _("Kind of record, in Vietnamese"), "Lễ hội"),
    Column("type_en", "text", _("Kind of record, in English"), "Festival"),
    Column("title_vi", "text", _("Title in Vietnamese"), "Lễ hội Lồng Tồng"),
    Column("title_en", "text", _("Title in English (empty when not translated)"),
           "Lồng Tồng festival"),
    Column("native_name", "text", _("Name in the community's own language"), "Lồng Tồng"),
    Column("description_vi", "text",
           _("Summary in Vietnamese, or the sensitivity warning that stands for it"),
           "Lễ xuống đồng của người Tày…"),
    Column("description_en", "text",
           _("Summary in English, or the sensitivity warning that stands for it"),
           "The Tày going-to-the-fields festival…"),
    Column("ethnic_groups_vi", "list", _("Ethnic groups, Vietnamese names"), "Tày; Nùng"),
    Column("ethnic_groups_en", "list", _("Ethnic groups, English names"), "Tay; Nung"),
    Column("ich_domain", "text", _("UNESCO domain of intangible cultural heritage (code)"),
           "social_practices"),
    Column("province", "text", _("Province today (after the 2025 mergers)"), "Tuyên Quang"),
    Column("province_as_recorded", "text", _("Province as named when recorded"), "Hà Giang"),
    Column("place_vi", "text", _("Place, in Vietnamese"),
           "Hà Giang (nay thuộc Tuyên Quang)"),
    Column("place_en", "text", _("Place, in English"), "Hà Giang (now part of Tuyên Quang)"),
    Column("locality", "text", _("Commune or village"), "xã Bản Luốc"),
    Column("latitude", "decimal",
           _("Latitude (WGS 84) at the precision the record may show; empty if none"),
           "22.82"),
    Column("longitude", "decimal", _("Longitude (WGS 84), likewise"), "104.98"),
    Column("coordinate_precision", "text", _("exact, commune or province"), "commune"),
    Column("recorded_by_vi", "text", _("Who recorded it, in Vietnamese"),
           "Nhóm khảo sát điền dã tỉnh"),
    Column("recorded_by_en", "text", _("Who recorded it, in English"),
           "Provincial field-survey team"),
    Column("recorded_on", "date", _("When it was recorded (YYYY-MM-DD)"), "2019-02-15"),
    Column("survey_reference", "text", _("Field-survey reference"), "KS-2019/07"),
    Column("keywords_vi", "list", _("Keywords of the Vietnamese version"), "cầu mùa; ném còn"),
    Column("keywords_en", "list", _("Keywords of the English version"), "harvest; ball throwing"),
    Column("media_types", "list", _("Kinds of media a visitor may see (image, video, audio)"),
           "image; video"),
    Column("licence", "URI", _("Licence of the record (its URI)"),
           "https://creativecommons.org/licenses/by/4.0/"),
    Column("licence_name", "text", _("Licence of the record (its name)"), "CC BY 4.0"),
    Column("rights_holder_vi", "text", _("Holder of the rights in the record, in Vietnamese"),
           "Viện Văn hoá Nghệ thuật quốc gia Việt Nam"),
    Column("rights_holder_en", "text", _("Holder of the rights in the record, in English"),
           "Vietnam National Institute of Culture and Arts Studies"),
    Column("last_published_at", "datetime", _("When a language version was last published"),
           "2025-07-01T08:30:00+00:00"),
)  # fmt: skip


@dataclass(frozen=True)
class Format:
    """One download: its stable public name and what it is."""

    key: str
    name: str
    media_type: str
    label: str


FORMATS = (
    Format("csv", "heritage-records.csv", "text/csv", "CSV"),
    Format("json", "heritage-records.json", "application/json", "JSON"),
    Format("xml", "heritage-records-dc.xml", "application/xml", "Dublin Core XML"),
)


def public_storage():
    """Where downloads live: the public media storage (local folder, or the bucket)."""
    return storages["default"]


# --- reading ---------------------------------------------------------------


def record_chunks(chunk_size=CHUNK_SIZE):
    """Lists of ``(versions, media)``, one per public record, ``chunk_size`` records at a time.

    Records come in record ID order; each chunk costs the same few queries
    (its IDs, its pages and their groups and keywords, their media and
    renditions), however many records it holds.
    """
    records = public_records()
    last = ""
    while True:
        ids = list(
            records.filter(record_id__gt=last)
            .order_by("record_id")
            .values_list("record_id", flat=True)
            .distinct()[:chunk_size]
        )
        if not ids:
            return
        described = described_records(ids)
        yield [described[record_id] for record_id in ids]
        last = ids[-1]


def public_record_count():
    """How many records the downloads hold."""
    return public_records().exclude(record_id="").values("record_id").distinct().count()


def record_fields(versions, media=()):
    """One record's values, keyed by :data:`COLUMNS` names (lists and decimals as such)."""
    first = versions[0]
    by_language = {page.locale.language_code: page for page in versions}

    def each_language(read, empty=""):
        values = {}
        for code in LANGUAGES:
            page = by_language.get(code)
            with translation.override(code):
                values[code] = read(page) if page is not None else empty
        return values

    kind = each_language(lambda page: str(page.kind_label))
    title = each_language(lambda page: page.title)
    description = each_language(lambda page: page.sensitivity_warning or page.summary)
    groups = each_language(
        lambda page: [group.display_name for group in page.ethnic_groups.all()], []
    )
    place = each_language(lambda page: page.place_label)
    keywords = each_language(lambda page: [tag.name for tag in page.keywords.all()], [])
    recorded_by = each_language(lambda page: page.recorded_by)
    rights_holder = each_language(lambda page: page.rights_holder)
    coordinates = public_coordinates(first)
    published = [page.last_published_at for page in versions if page.last_published_at]
    fields = {
        "record_id": first.record_id,
        "url": permalink(first.record_id),
        "kind": first.kind,
        "type_vi": kind["vi"],
        "type_en": kind["en"],
        "title_vi": title["vi"],
        "title_en": title["en"],
        "native_name": first.native_name,
        "description_vi": description["vi"],
        "description_en": description["en"],
        "ethnic_groups_vi": groups["vi"],
        "ethnic_groups_en": groups["en"],
        "ich_domain": first.ich_domain,
        "province": first.province.name_vi if first.province else "",
        "province_as_recorded": (
            first.province_as_recorded.name_vi if first.province_as_recorded else ""
        ),
        "place_vi": place["vi"],
        "place_en": place["en"],
        "locality": first.locality,
        "latitude": coordinates.latitude if coordinates else None,
        "longitude": coordinates.longitude if coordinates else None,
        "coordinate_precision": str(coordinates.precision) if coordinates else "",
        "recorded_by_vi": recorded_by["vi"],
        "recorded_by_en": recorded_by["en"],
        "recorded_on": first.recorded_on.isoformat() if first.recorded_on else "",
        "survey_reference": first.survey_reference,
        "keywords_vi": keywords["vi"],
        "keywords_en": keywords["en"],
        "media_types": sorted({asset.media_type for asset in media if asset.media_type}),
        "licence": first.licence,
        "licence_name": first.licence_label,
        "rights_holder_vi": rights_holder["vi"],
        "rights_holder_en": rights_holder["en"],
        "last_published_at": max(published).isoformat() if published else "",
    }
    return {column.name: fields[column.name] for column in COLUMNS}


# --- writing ---------------------------------------------------------------


def csv_cell(column, value):
    """A value as a CSV cell: lists joined, and text no spreadsheet evaluates as a formula."""
    if value is None:
        return ""
    if column.type == "list":
        value = "; ".join(value)
    if column.type in ("text", "list"):
        return neutralise_formula(str(value))
    return str(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dataset_header(generated_at):
    """What each file says of itself: title, publisher, licence, when it was made."""
    return {
        "title": TITLE,
        "publisher": PUBLISHER,
        "licence": DATASET_LICENCE.value,
        "licence_note": (
            "The metadata as a whole is published under CC BY 4.0; each record "
            "states its own licence and rights holder."
        ),
        "generated_at": generated_at.isoformat(),
    }


class CsvWriter:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese right."""

    def __init__(self, path, header):
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow([column.name for column in COLUMNS])

    def add(self, fields, statements):
        self.writer.writerow([csv_cell(column, fields[column.name]) for column in COLUMNS])

    def close(self):
        self.file.close()


class JsonWriter:
    """``{header..., "records": [{fields..., "dublin_core": {...}}]}``, one record a line."""

    def __init__(self, path, header):
        self.file = path.open("w", encoding="utf-8")
        text = json.dumps({**header, "records": []}, ensure_ascii=False)
        self.closing = text[text.rindex("[") + 1 :]  # "]}"
        self.file.write(text[: text.rindex("[") + 1])
        self.separator = "\n"

    def add(self, fields, statements):
        record = {**fields, "dublin_core": as_json(statements)}
        self.file.write(
            self.separator + json.dumps(record, ensure_ascii=False, default=_json_value)
        )
        self.separator = ",\n"

    def close(self):
        self.file.write("\n" + self.closing + "\n")
        self.file.close()


class DublinCoreXmlWriter:
    """A ``<records>`` root with the dataset's licence, then one ``oai_dc:dc`` per record."""

    def __init__(self, path, header):
        self.file = path.open("wb")
        self.file.write(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<records xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" xmlns:dcterms="{DCTERMS}"'
                f' generated="{header["generated_at"]}">\n'
                f"<dcterms:license>{header['licence']}</dcterms:license>\n"
            ).encode()
        )
        for language, title in header["title"].items():
            self.file.write(
                f'<dcterms:title xml:lang="{language}">{escape(title)}</dcterms:title>\n'.encode()
            )

    def add(self, fields, statements):
        self.file.write(
            ElementTree.tostring(oai_dc_element(statements), encoding="unicode").encode()
        )
        self.file.write(b"\n")

    def close(self):
        self.file.write(b"</records>\n")
        self.file.close()


WRITERS = {"csv": CsvWriter, "json": JsonWriter, "xml": DublinCoreXmlWriter}


def write_files(directory, generated_at, progress=None, chunk_size=CHUNK_SIZE):
    """Write every format into ``directory`` in one pass over the records; their count.

    ``progress(n)`` is called after each chunk of ``n`` records.
    """
    header = dataset_header(generated_at)
    count = 0
    with ExitStack() as stack:
        writers = []
        for fmt in FORMATS:
            writer = WRITERS[fmt.key](directory / fmt.name, header)
            stack.callback(writer.file.close)
            writers.append(writer)
        for chunk in record_chunks(chunk_size):
            for versions, media in chunk:
                fields = record_fields(versions, media)
                statements = dublin_core(versions, media)
                for writer in writers:
                    writer.add(fields, statements)
            count += len(chunk)
            if progress:
                progress(len(chunk))
        for writer in writers:
            writer.close()
    return count


def _digest(path):
    sha256 = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(CHUNK):
            sha256.update(block)
    return sha256.hexdigest()


def store_files(directory, count):
    """Store each written file under a name unique to its content; their ``files`` entries."""
    storage = public_storage()
    entries = []
    for fmt in FORMATS:
        path = directory / fmt.name
        sha256 = _digest(path)
        stem, _dot, extension = fmt.name.partition(".")
        stored_as = f"{PREFIX}/{stem}-{sha256[:16]}.{extension}"
        if not storage.exists(stored_as):
            with path.open("rb") as file:
                stored_as = storage.save(stored_as, File(file, name=fmt.name))
        entries.append(
            {
                "format": fmt.key,
                "label": fmt.label,
                "name": fmt.name,
                "stored_as": stored_as,
                "media_type": fmt.media_type,
                "size": path.stat().st_size,
                "sha256": sha256,
                "records": count,
            }
        )
    return entries


def remove_old_files():
    """Delete stored downloads no longer named by the last two finished runs.

    The one before the last is kept: a download that began before the new
    run finished still reads its file.
    """
    storage = public_storage()
    kept = {
        entry["stored_as"]
        for run in DatasetRun.objects.filter(state=DatasetRun.State.DONE)[:2]
        for entry in run.files
    }
    for name in list(walk(storage, PREFIX)):
        if name not in kept:
            storage.delete(name)


def generate_datasets(progress=None, chunk_size=CHUNK_SIZE):
    """Write, store and publish every download now; the finished :class:`DatasetRun`.

    A run that fails is recorded as failed (visitors keep the last good
    files) and its error raised again.
    """
    run = DatasetRun.objects.create()
    try:
        with tempfile.TemporaryDirectory(prefix="open-data-") as work_dir:
            count = write_files(Path(work_dir), run.started_at, progress, chunk_size)
            files = store_files(Path(work_dir), count)
    except Exception as exc:  # noqa: BLE001 - any fault must end the run, never leave it running
        logger.exception("Generating the dataset downloads failed")
        run.state = DatasetRun.State.FAILED
        run.error_message = str(exc) or type(exc).__name__
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "error_message", "finished_at"])
        raise
    run.state = DatasetRun.State.DONE
    run.records = count
    run.files = files
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "records", "files", "finished_at"])
    remove_old_files()
    return run


def latest_run():
    """The newest finished run (what visitors download), or None."""
    return DatasetRun.objects.filter(state=DatasetRun.State.DONE).first()


def running_run(stale_after=timedelta(hours=6)):
    """A run going now, or None (one started hours ago died without a word)."""
    return DatasetRun.objects.filter(
        state=DatasetRun.State.RUNNING, started_at__gte=timezone.now() - stale_after
    ).first()
