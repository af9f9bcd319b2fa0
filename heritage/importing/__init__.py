"""Importing field-survey sheets (CSV/XLSX) as records, and the columns export shares.

``import_file(path, ...)`` is the one entry point the command, the admin
task and the benchmark use.
"""

from heritage.importing.importer import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    ImportResult,
    RecordImporter,
    RowResult,
)
from heritage.importing.reader import SheetError, read_sheet
from heritage.importing.values import COLUMNS, EXPORT_COLUMNS


def import_file(source, *, name=None, **options):
    """Read a sheet and import it; ``options`` go to ``RecordImporter``."""
    rows = read_sheet(source, name)
    return RecordImporter(**options).run(rows)


__all__ = [
    "COLUMNS",
    "CREATED",
    "EXPORT_COLUMNS",
    "FAILED",
    "UNCHANGED",
    "UPDATED",
    "ImportResult",
    "RecordImporter",
    "RowResult",
    "SheetError",
    "import_file",
    "read_sheet",
]
