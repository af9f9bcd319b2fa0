"""The blank survey sheet officers download: the importer's columns, a guide and an example row."""

import csv
import io

from django.utils.translation import gettext as _

from heritage.importing.values import COLUMN_GUIDE, REQUIRED_COLUMNS, column_label


def example_row(province_name):
    """A row that imports cleanly as a draft in ``province_name``."""
    row = {column: guide.example for column, guide in COLUMN_GUIDE.items()}
    row["province"] = province_name
    return row


def guide_rows():
    """The guide as rows of text, with its header: one row per column."""
    header = [
        _("Column"),
        _("Name"),
        _("Required"),
        _("What to write"),
        _("Allowed values"),
        _("Example"),
    ]
    rows = [header]
    for column, guide in COLUMN_GUIDE.items():
        rows.append(
            [
                column,
                column_label(column),
                _("yes") if column in REQUIRED_COLUMNS else _("no"),
                str(guide.explanation),
                ", ".join(guide.allowed),
                guide.example,
            ]
        )
    return rows


def template_csv(province_name):
    """The header and example row as CSV, UTF-8 with a BOM so Excel reads Vietnamese right."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(COLUMN_GUIDE)
    example = example_row(province_name)
    writer.writerow(example[column] for column in COLUMN_GUIDE)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def template_xlsx(province_name):
    """A workbook: the sheet to fill (header and example row) and a guide sheet in Vietnamese."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Records")
    sheet.append(list(COLUMN_GUIDE))
    example = example_row(province_name)
    sheet.append([example[column] for column in COLUMN_GUIDE])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Guide"))
    for row in guide_rows():
        guide.append(row)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (18, 30, 10, 70, 40, 30), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
