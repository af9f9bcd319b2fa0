"""Exporting records as the import sheet (CSV or XLSX), so an export re-imports unchanged.

One row per record: the Vietnamese page gives the shared fields, the
``_vi`` columns and ``recorded_by``/``rights_holder``, its English translation
the ``_en`` ones (``recorded_by_en`` and ``rights_holder_en`` only where they
differ from the Vietnamese). ``media`` names
assets as ``asset:<uuid>`` (the import resolves them without files), and
``body_json``/``body_json_en`` keep bodies a description cannot hold.
"""

import csv
from pathlib import Path

from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Locale

from heritage.access import Access
from heritage.importing.values import (
    ASSET_PREFIX,
    EXPORT_COLUMNS,
    LANGUAGE_FIELD_COLUMNS,
    LANGUAGE_FIELDS,
    LICENCE_BY_URI,
    SHARED_FIELDS,
    body_to_description,
    body_to_json,
    current_media_ids,
    current_values,
    neutralise_formula,
)
from heritage.models import CustomPage, EthnicGroup, FestivalPage, Province
from media_pipeline.models import MediaAsset


class ExportError(ValueError):
    pass


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _pages(locale, *, province, include_restricted):
    pages = []
    for model in (FestivalPage, CustomPage):
        qs = (
            model.objects.filter(locale=locale)
            .select_related("latest_revision")
            .prefetch_related("ethnic_groups", "tagged_items", "media_links")
        )
        if province is not None:
            qs = qs.filter(province=province)
        if not include_restricted:
            qs = qs.filter(access=Access.PUBLIC)
        pages.extend(qs)
    return pages


def record_rows(*, province=None, include_restricted=True, locale_independent=False):
    """The export's rows as ``{column: text}``, ordered by record_id.

    ``locale_independent`` also exports records that have no Vietnamese
    page (their ``_vi`` columns stay empty).
    """
    vi = Locale.objects.get(language_code="vi")
    en = Locale.objects.filter(language_code="en").first()
    options = {"province": province, "include_restricted": include_restricted}
    vi_pages = _pages(vi, **options)
    en_pages = {page.translation_key: page for page in _pages(en, **options)} if en else {}
    records = [(page, en_pages.pop(page.translation_key, None)) for page in vi_pages]
    if locale_independent:
        records += [(None, page) for page in en_pages.values()]

    tag_names = dict(Tag.objects.values_list("pk", "name"))
    media_ids = {
        page: current_media_ids(page) for pair in records for page in pair if page is not None
    }
    assets = MediaAsset.objects.in_bulk({pk for ids in media_ids.values() for pk in ids})
    asset_keys = {pk: asset.sha256 or f"{ASSET_PREFIX}{asset.uuid}" for pk, asset in assets.items()}
    group_names = dict(EthnicGroup.objects.values_list("pk", "name_vi"))
    province_names = dict(Province.objects.values_list("pk", "name_vi"))

    rows = []
    for vi_page, en_page in records:
        base = vi_page or en_page
        values = current_values(base, tag_names=tag_names, asset_keys=asset_keys)
        en_values = (
            current_values(en_page, tag_names=tag_names, asset_keys=asset_keys) if en_page else None
        )
        row = {column: "" for column in EXPORT_COLUMNS}
        # The licence column holds its short code, set below.
        for name in (f for f in SHARED_FIELDS if f != "licence"):
            row[name] = _text(values[name])
        row.update(
            record_id=base.record_id,
            kind=values["kind"],
            ethnic_groups=";".join(sorted(group_names[pk] for pk in values["groups"])),
            province=province_names[values["province_as_recorded"]],
            keywords=";".join(values["keywords"]),
            licence=LICENCE_BY_URI.get(values["licence"], values["licence"]),
            media=";".join(f"{ASSET_PREFIX}{assets[pk].uuid}" for pk in media_ids[base]),
        )
        if vi_page is not None:
            row.update({name: _text(values[name]) for name in LANGUAGE_FIELDS})
            row.update(
                title_vi=values["title"],
                summary_vi=values["summary"],
                description_vi=body_to_description(values["body"]),
                body_json=body_to_json(values["body"]),
            )
        if en_values is not None:
            row.update(
                title_en=en_values["title"],
                summary_en=en_values["summary"],
                description_en=body_to_description(en_values["body"]),
                body_json_en=body_to_json(en_values["body"]),
            )
            # Blank where English says what Vietnamese does, as the import reads a blank cell.
            for name, column in LANGUAGE_FIELD_COLUMNS["en"].items():
                if vi_page is None or en_values[name] != values[name]:
                    row[column] = _text(en_values[name])
            if vi_page is None or en_values["keywords"] != values["keywords"]:
                row["keywords_en"] = ";".join(en_values["keywords"])
        rows.append(row)
    rows.sort(key=lambda row: row["record_id"])
    return rows


def write_rows(path, rows, columns=EXPORT_COLUMNS):
    """Write rows as CSV (UTF-8) or XLSX, chosen by the file's extension.

    Cells a spreadsheet would run as formulas are written quoted (``neutralise_formula``).
    """
    path = Path(path)
    rows = [{column: neutralise_formula(row.get(column, "")) for column in columns} for row in rows]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Records"))
        sheet.append(columns)
        for row in rows:
            sheet.append([row[column] for column in columns])
        workbook.save(path)
    else:
        raise ExportError(_("Give a .csv or .xlsx file name, not %(name)s.") % {"name": path.name})
    return len(rows)


def export_records(path, **options):
    """Write the records (see ``record_rows`` for options) to ``path``; returns the row count."""
    return write_rows(path, record_rows(**options))
