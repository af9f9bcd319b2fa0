"""The sheet's columns and a record's comparable values, shared by import and export.

A record is compared as a plain dict of values (``page_values``): the
importer builds the same dict from a row, so "unchanged" is an equality
test, and the exporter writes that dict back as cells, so an export
re-imports as unchanged.
"""

import html
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from heritage.access import Access
from heritage.models.records import (
    LICENCE_CODES,
    CoordinatePrecision,
    EarthlyBranch,
    IchDomain,
    Recurrence,
    TimingKind,
)

COLUMNS = [
    "record_id",
    "kind",
    "title_vi",
    "title_en",
    "native_name",
    "ethnic_groups",
    "province",
    "locality",
    "latitude",
    "longitude",
    "timing_kind",
    "coordinate_precision",
    "lunar_month",
    "lunar_day",
    "solar_month",
    "solar_day",
    "lunar_leap",
    "zodiac_branch",
    "recurrence",
    "recurrence_years",
    "reference_year",
    "ich_domain",
    "summary_vi",
    "summary_en",
    "description_vi",
    "description_en",
    "keywords",
    "keywords_en",
    "licence",
    "rights_holder",
    "rights_holder_en",
    "access",
    "recorded_by",
    "recorded_by_en",
    "recorded_on",
    "media",
]
# The body as stored, per locale: it carries blocks a description cannot (images, testimonies).
BODY_COLUMNS = ["body_json", "body_json_en"]
EXPORT_COLUMNS = COLUMNS + BODY_COLUMNS
REQUIRED_COLUMNS = ["record_id", "kind", "title_vi", "ethnic_groups", "province"]


LICENCE_BY_URI = {uri: code for code, uri in LICENCE_CODES.items()}
ASSET_PREFIX = "asset:"
COORDINATE_PLACES = Decimal("0.000001")

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV
# injection"); the export writes such cells with a leading ' and the import drops
# a ' only when one of these follows it, so a round trip gives the text back.
# A cell typed as ' followed by one of these therefore loses its '.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_QUOTE = "'"


@dataclass(frozen=True)
class ColumnGuide:
    """What an officer is told about a column: in the template's guide and the import report."""

    label: str
    explanation: str
    example: str = ""
    allowed: tuple = ()


# One entry per column the importer reads, in the sheet's order. The example
# cells make a row that imports cleanly once its province is the officer's own.
COLUMN_GUIDE = {
    "record_id": ColumnGuide(
        _("Record ID"),
        _(
            "A code you choose, unique to the record. Importing a row whose code is "
            "already in the archive updates that record."
        ),
        "vh-mau-0001",
    ),
    "kind": ColumnGuide(
        _("Kind of record"), _("festival or custom."), "festival", ("festival", "custom")
    ),
    "title_vi": ColumnGuide(
        _("Title (Vietnamese)"), _("The record's name in Vietnamese."), "Lễ hội Gầu Tào"
    ),
    "title_en": ColumnGuide(
        _("Title (English)"),
        _("The name in English. Leave empty when there is no English translation."),
        "Gau Tao Festival",
    ),
    "native_name": ColumnGuide(
        _("Name in the community's language"),
        _("The name as the community says it."),
        "Gầu Tào",
    ),
    "ethnic_groups": ColumnGuide(
        _("Ethnic groups"),
        _("Vietnamese names of the ethnic groups, separated by ; (for example Tày;Nùng)."),
        "H'Mông",
    ),
    "province": ColumnGuide(
        _("Province"),
        _(
            "The province's name, current or former (a province merged in 2025 is "
            "found under its old name). It must be a province of your team."
        ),
        "Lào Cai",
    ),
    "locality": ColumnGuide(
        _("Locality"), _("Commune, village or place where it happens."), "Xã Bản Lầu"
    ),
    "latitude": ColumnGuide(
        _("Latitude"), _("Decimal degrees, with a point or a comma."), "22.6128"
    ),
    "longitude": ColumnGuide(
        _("Longitude"), _("Decimal degrees, with a point or a comma."), "104.1214"
    ),
    "timing_kind": ColumnGuide(
        _("How the date is set"),
        _(
            "lunar or solar: a date on that calendar; zodiac_day: the first day of the "
            "zodiac_branch in the lunar month; other_calendar (Chăm, Khmer …) or "
            "announced: the date is announced each year. Empty: lunar when a lunar month "
            "is given, solar when only a solar month is, else announced."
        ),
        TimingKind.LUNAR.value,
        TimingKind.values,
    ),
    "coordinate_precision": ColumnGuide(
        _("Coordinate precision"),
        _(
            "How precisely visitors see the place: exact (the point as given), commune "
            "(rounded to about 1 km) or province (only the province's centre). Empty means "
            "commune. Never exact for a restricted record, a record with a sensitivity "
            "warning or a ritual."
        ),
        CoordinatePrecision.COMMUNE.value,
        CoordinatePrecision.values,
    ),
    "lunar_month": ColumnGuide(_("Lunar month"), _("A whole number from 1 to 12."), "1"),
    "lunar_day": ColumnGuide(_("Lunar day"), _("A whole number from 1 to 30."), "15"),
    "solar_month": ColumnGuide(
        _("Solar month"), _("A whole number from 1 to 12, for a date on the solar calendar."), ""
    ),
    "solar_day": ColumnGuide(_("Solar day"), _("A whole number from 1 to 31."), ""),
    "lunar_leap": ColumnGuide(
        _("Leap month"),
        _("1 if the lunar month is a leap month, else 0 or empty."),
        "0",
        ("0", "1"),
    ),
    "zodiac_branch": ColumnGuide(
        _("Zodiac day"),
        _(
            "Only for timing zodiac_day: the day's earthly branch, by its code or its "
            "Vietnamese name (Thìn for “ngày Thìn tháng Giêng”)."
        ),
        "",
        EarthlyBranch.values,
    ),
    "recurrence": ColumnGuide(
        _("Recurrence"),
        _("How often it is held; empty means every year."),
        Recurrence.ANNUAL.value,
        Recurrence.values,
    ),
    "recurrence_years": ColumnGuide(
        _("Every how many years"),
        _("A whole number of 2 or more, only when the recurrence is periodic."),
        "",
    ),
    "reference_year": ColumnGuide(
        _("A year it was held"),
        _(
            "Only when the recurrence is periodic: one year it was held (the lunar year "
            "for a lunar date), from which the calendar counts."
        ),
        "",
    ),
    "ich_domain": ColumnGuide(
        _("UNESCO domain"),
        _("The domain of intangible heritage of the 2003 UNESCO Convention."),
        IchDomain.SOCIAL_PRACTICES.value,
        IchDomain.values,
    ),
    "summary_vi": ColumnGuide(
        _("Summary (Vietnamese)"),
        _("One or two sentences shown in lists and search results."),
        "Lễ hội cầu phúc, cầu mùa của người H'Mông vào dịp đầu xuân.",
    ),
    "summary_en": ColumnGuide(_("Summary (English)"), _("The summary in English."), ""),
    "description_vi": ColumnGuide(
        _("Description (Vietnamese)"),
        _("The full text. A blank line starts a new paragraph."),
        "Lễ hội được tổ chức trên bãi đất rộng đầu bản, quanh cây nêu.",
    ),
    "description_en": ColumnGuide(
        _("Description (English)"), _("The full text in English; needs an English title."), ""
    ),
    "keywords": ColumnGuide(
        _("Keywords"),
        _("Words to find the record by, separated by ;."),
        "cầu mùa;trò chơi dân gian",
    ),
    "keywords_en": ColumnGuide(
        _("Keywords (English)"),
        _("The English page's keywords, separated by ;. Empty means the same as keywords."),
        "harvest prayer;folk game",
    ),
    "licence": ColumnGuide(
        _("Licence"),
        _("The licence of the record's text; empty means CC-BY-4.0."),
        "CC-BY-4.0",
        tuple(LICENCE_CODES),
    ),
    "rights_holder": ColumnGuide(
        _("Rights holder"), _("Who holds the rights."), "Sở Văn hóa, Thể thao và Du lịch"
    ),
    "rights_holder_en": ColumnGuide(
        _("Rights holder (English)"),
        _("The rights holder as the English page names it. Empty means the same as rights_holder."),
        "Department of Culture, Sports and Tourism",
    ),
    "access": ColumnGuide(
        _("Access"),
        _(
            "public: everyone may see it; restricted: officers and named groups only. "
            "Empty means public."
        ),
        Access.PUBLIC.value,
        Access.values,
    ),
    "recorded_by": ColumnGuide(_("Recorded by"), _("Who surveyed it."), "Nguyễn Thị Hoa"),
    "recorded_by_en": ColumnGuide(
        _("Recorded by (English)"),
        _(
            "Who surveyed it, as the English page says it (a team's name in English). "
            "Empty means the same as recorded_by."
        ),
        "",
    ),
    "recorded_on": ColumnGuide(
        _("Recorded on"), _("The survey date, as YYYY-MM-DD."), "2024-02-24"
    ),
    "media": ColumnGuide(
        _("Media"),
        _(
            "Files in the .zip beside the sheet, named by their path and separated by ; "
            "(or asset: followed by the code of media already in the archive)."
        ),
        "",
    ),
    "body_json": ColumnGuide(
        _("Body as exported (Vietnamese)"),
        _("Written by the export. Leave it empty: the description is used."),
        "",
    ),
    "body_json_en": ColumnGuide(
        _("Body as exported (English)"),
        _("Written by the export. Leave it empty: the description is used."),
        "",
    ),
}


def column_label(column):
    """The label officers know a column by (the key itself for a column the guide lacks)."""
    guide = COLUMN_GUIDE.get(column)
    return str(capfirst(guide.label)) if guide else column


# Fields every locale of a record shares (copied to the translation, like copy_for_translation).
SHARED_FIELDS = [
    "native_name",
    "locality",
    "latitude",
    "longitude",
    "coordinate_precision",
    "lunar_month",
    "lunar_day",
    "lunar_leap",
    "solar_month",
    "solar_day",
    "timing_kind",
    "zodiac_branch",
    "recurrence",
    "recurrence_years",
    "reference_year",
    "ich_domain",
    "licence",
    "access",
    "recorded_on",
]
# Facts each language states in its own words: an English page credits a team by its English name.
LANGUAGE_FIELDS = ["rights_holder", "recorded_by"]
# Each language's column of a language field: the Vietnamese one, and the one a blank English cell
# falls back to.
LANGUAGE_FIELD_COLUMNS = {
    "vi": {n: n for n in LANGUAGE_FIELDS},
    "en": {n: f"{n}_en" for n in LANGUAGE_FIELDS},
}


def description_to_body(text):
    """Plain text to paragraph blocks: blank lines split paragraphs, line breaks stay."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [html.escape(line.strip()) for line in paragraph.strip().split("\n")]
        blocks.append({"type": "paragraph", "value": "<p>" + "<br/>".join(lines) + "</p>"})
    return blocks


_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|blockquote)>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")


def body_to_description(body):
    """The text of a body's paragraph blocks, as ``description_*`` holds it."""
    paragraphs = []
    for block in body or []:
        if block.get("type") != "paragraph":
            continue
        source = _BREAK_RE.sub("\n", str(block.get("value") or ""))
        for chunk in _BLOCK_END_RE.split(source)[::2]:
            text = html.unescape(_TAG_RE.sub("", chunk))
            lines = [line.strip() for line in text.split("\n")]
            text = "\n".join(lines).strip()
            if text:
                paragraphs.append(text)
    return "\n\n".join(paragraphs)


def neutralise_formula(text):
    """``text`` as a cell no spreadsheet evaluates."""
    return FORMULA_QUOTE + text if text.startswith(FORMULA_TRIGGERS) else text


def restore_formula(text):
    """The text ``neutralise_formula`` was given."""
    if text.startswith(FORMULA_QUOTE) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def normalise_description(text):
    """Compare descriptions as ``description_to_body`` would store them."""
    return body_to_description(description_to_body(text))


def normalise_body(raw):
    """Stream data without block ids, so equal content compares equal."""
    return [{"type": block["type"], "value": block["value"]} for block in raw or []]


def body_to_json(body):
    return json.dumps(body, ensure_ascii=False, sort_keys=True) if body else ""


def keyword_key(names):
    """Keywords compare as a set, ignoring case and order."""
    return tuple(sorted({name.strip() for name in names if name.strip()}, key=str.casefold))


def asset_key(asset):
    """How a row names a media asset: its checksum, else its uuid."""
    return asset.sha256 or f"{ASSET_PREFIX}{asset.uuid}"


def page_values(page, *, tag_names, asset_keys):
    """A page's comparable values (shared fields plus its own texts).

    ``tag_names`` maps tag ids to names and ``asset_keys`` asset ids to
    ``asset_key`` values; the caller loads them in bulk.
    """
    values = {name: getattr(page, name) for name in SHARED_FIELDS + LANGUAGE_FIELDS}
    for name in ("latitude", "longitude"):
        if values[name] is not None:
            values[name] = Decimal(values[name]).quantize(COORDINATE_PLACES)
    if values["recurrence"] != "periodic":
        values["recurrence_years"] = values["recurrence_years"] or None
    values.update(
        kind=page.specific_class._meta.model_name.removesuffix("page"),
        title=page.title,
        summary=page.summary,
        body=normalise_body(page.body.raw_data),
        province_as_recorded=page.province_as_recorded_id,
        groups=tuple(sorted(group.pk for group in page.ethnic_groups.all())),
        keywords=keyword_key(tag_names[item.tag_id] for item in page.tagged_items.all()),
        media=tuple(asset_keys[link.asset_id] for link in page.media_links.all()),
    )
    return values


def revision_values(model, content, *, tag_names, asset_keys):
    """``page_values`` read straight from a revision's content, without building objects.

    Deserialising a revision checks every foreign key with a query; comparing
    thousands of drafts must not.
    """
    meta = model._meta
    # A revision saved before a field existed holds no value for it: the field's default.
    values = {
        name: meta.get_field(name).to_python(content.get(name, meta.get_field(name).get_default()))
        for name in SHARED_FIELDS + LANGUAGE_FIELDS
    }
    for name in ("latitude", "longitude"):
        if values[name] is not None:
            values[name] = Decimal(values[name]).quantize(COORDINATE_PLACES)
    if values["recurrence"] != "periodic":
        values["recurrence_years"] = values["recurrence_years"] or None
    body = content.get("body") or []
    if isinstance(body, str):
        body = json.loads(body) if body else []
    links = sorted(content.get("media_links") or [], key=lambda link: link.get("sort_order") or 0)
    values.update(
        kind=model._meta.model_name.removesuffix("page"),
        title=content.get("title") or "",
        summary=content.get("summary") or "",
        body=normalise_body(body),
        province_as_recorded=content.get("province_as_recorded"),
        groups=tuple(sorted(content.get("ethnic_groups") or [])),
        keywords=keyword_key(tag_names[item["tag"]] for item in content.get("tagged_items") or []),
        media=tuple(asset_keys[link["asset"]] for link in links),
    )
    return values


def is_draft(page):
    """Whether the page's latest content lives in a revision rather than the page row."""
    return bool(page.has_unpublished_changes and page.latest_revision_id)


def current_values(page, *, tag_names, asset_keys):
    """The comparable values of a page's latest content: its draft if it has one."""
    if is_draft(page):
        return revision_values(
            page.specific_class,
            page.latest_revision.content,
            tag_names=tag_names,
            asset_keys=asset_keys,
        )
    return page_values(page, tag_names=tag_names, asset_keys=asset_keys)


def current_media_ids(page):
    """Asset ids of a page's latest content, in order."""
    if is_draft(page):
        links = page.latest_revision.content.get("media_links") or []
        return [link["asset"] for link in sorted(links, key=lambda x: x.get("sort_order") or 0)]
    return [link.asset_id for link in page.media_links.all()]
