"""Reading field-survey sheets: UTF-8 CSV or XLSX, one record per row."""

import csv
import datetime
import io
import zipfile
import zlib
from pathlib import Path

from django.utils.translation import gettext as _

from heritage.importing.values import REQUIRED_COLUMNS, restore_formula


class SheetError(ValueError):
    """The file as a whole cannot be read (wrong format, missing columns, too large)."""


# What a field survey needs, with room; beyond it a file is a mistake or an attack.
MAX_ROWS = 20_000  # below the header
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100  # unpacked : packed, over the whole archive


def _limited(rows):
    """``rows`` (an iterable of cell lists), refusing more rows or columns than a sheet may have."""
    kept = []
    for row in rows:
        if len(kept) > MAX_ROWS:
            raise SheetError(
                _("The sheet has more than %(count)s rows; split it into several files.")
                % {"count": f"{MAX_ROWS:,}"}
            )
        while row and row[-1] == "":
            row = row[:-1]
        if len(row) > MAX_COLUMNS:
            raise SheetError(
                _("The sheet has more than %(count)s columns.") % {"count": MAX_COLUMNS}
            )
        kept.append(row)
    return kept


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
    try:
        return _limited([restore_formula(cell.strip()) for cell in row] for row in reader)
    except csv.Error as exc:
        raise SheetError(_("Cannot read the CSV file: %(error)s") % {"error": exc}) from exc


def _check_xlsx_archive(stream):
    """Refuse an XLSX that would unpack too large, before openpyxl unpacks any of it.

    The sizes are those the zip's directory declares; Python's zipfile never
    unpacks a member past its declared size, so openpyxl cannot be made to.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise SheetError(_("This is not an XLSX file (not a zip archive).")) from exc
    finally:
        stream.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED:
        raise SheetError(
            _("The XLSX file unpacks to more than %(size)s MB; split it into several files.")
            % {"size": MAX_XLSX_UNPACKED // (1024 * 1024)}
        )
    if unpacked > MAX_XLSX_RATIO * max(packed, 1):
        raise SheetError(
            _("The XLSX file is compressed more than %(ratio)s to 1: refused as unsafe.")
            % {"ratio": MAX_XLSX_RATIO}
        )


def _rows_from_xlsx(stream):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_archive(stream)
    # Every way a damaged workbook fails inside openpyxl: a broken archive or
    # member, missing parts, bad XML, values of the wrong type.
    damaged = (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        IndexError,
        SyntaxError,  # XML parse errors
        TypeError,
        ValueError,
        OSError,
    )
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except damaged as exc:
        raise SheetError(_("Cannot read the XLSX file: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        return _limited(
            [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
        )
    except SheetError:
        raise
    except damaged as exc:
        raise SheetError(_("Cannot read the XLSX file: %(error)s") % {"error": exc}) from exc
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
