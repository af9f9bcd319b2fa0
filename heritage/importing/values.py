"""The sheet's columns and a record's comparable values, shared by import and export.

A record is compared as a plain dict of values (``page_values``): the
importer builds the same dict from a row, so "unchanged" is an equality
test, and the exporter writes that dict back as cells, so an export
re-imports as unchanged.
"""

import html
import json
import re
from decimal import Decimal

from heritage.models.records import LICENCE_CODES

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
    "lunar_month",
    "lunar_day",
    "solar_month",
    "solar_day",
    "lunar_leap",
    "recurrence",
    "recurrence_years",
    "ich_domain",
    "summary_vi",
    "summary_en",
    "description_vi",
    "description_en",
    "keywords",
    "licence",
    "rights_holder",
    "access",
    "recorded_by",
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

# Fields every locale of a record shares (copied to the translation, like copy_for_translation).
SHARED_FIELDS = [
    "native_name",
    "locality",
    "latitude",
    "longitude",
    "lunar_month",
    "lunar_day",
    "lunar_leap",
    "solar_month",
    "solar_day",
    "recurrence",
    "recurrence_years",
    "ich_domain",
    "licence",
    "rights_holder",
    "access",
    "recorded_by",
    "recorded_on",
]
TEXT_FIELDS = ["title", "summary", "body"]


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
    values = {name: getattr(page, name) for name in SHARED_FIELDS}
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
    values = {name: meta.get_field(name).to_python(content.get(name)) for name in SHARED_FIELDS}
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
