"""Reading field-survey sheets: UTF-8 CSV or XLSX, one record per row."""

import csv
import datetime
import io
from pathlib import Path

from django.utils.translation import gettext as _

from heritage.importing.values import REQUIRED_COLUMNS, restore_formula


class SheetError(ValueError):
    """The file as a whole cannot be read (wrong format, missing columns)."""


def _cell_text(value):
    """A cell as the text a person typed: XLSX numbers and dates come back typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return restore_formula(str(value).strip())


def _rows_from_csv(stream):
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(_("The CSV file is not UTF-8: %(error)s") % {"error": exc}) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    return [[restore_formula(cell.strip()) for cell in row] for row in reader]


def _rows_from_xlsx(stream):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SheetError(_("Cannot read the XLSX file: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_sheet(source, name=None):
    """Read a CSV or XLSX sheet; returns a list of ``(row_number, {column: text})``.

    ``source`` is a path or a binary file object (then ``name`` gives the
    extension). Row numbers are the spreadsheet's: the header is row 1.
    Wholly blank rows are skipped.
    """
    name = str(name or source)
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise SheetError(_("Give a .csv or .xlsx file, not %(name)s.") % {"name": name})
    if isinstance(source, (str, Path)):
        with open(source, "rb") as stream:
            rows = _rows_from_csv(stream) if suffix == ".csv" else _rows_from_xlsx(stream)
    else:
        rows = _rows_from_csv(source) if suffix == ".csv" else _rows_from_xlsx(source)
    if not rows:
        raise SheetError(_("The file is empty."))
    header = [column.strip().lower() for column in rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise SheetError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        row = {column: "" for column in header if column}
        for column, cell in zip(header, cells, strict=False):
            if column:
                row[column] = cell
        records.append((number, row))
    return records
