"""manage.py import_records FILE: field-survey sheets (CSV/XLSX) into records."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from heritage.importing import RecordImporter, SheetError, read_sheet


class Command(BaseCommand):
    help = _(
        "Import records from a UTF-8 CSV or XLSX field-survey sheet (one row per record). "
        "Rows are created or updated by record_id; bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .csv or .xlsx sheet"))
        parser.add_argument(
            "--media-dir",
            help=_("folder the media column's paths are relative to (default: the sheet's)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))
        parser.add_argument(
            "--publish", action="store_true", help=_("publish records (default: drafts)")
        )
        parser.add_argument("--report", help=_("write every row's result to this JSON file"))
        parser.add_argument(
            "--user", help=_("import as this user: their teams' provinces only, and as owner")
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(_("No such user: %(user)s") % {"user": options["user"]}) from exc
        try:
            rows = read_sheet(path)
        except SheetError as exc:
            raise CommandError(str(exc)) from exc
        media_dir = options["media_dir"] or path.parent
        with tqdm(total=len(rows), desc=_("Import"), unit=_("row"), file=self.stderr._out) as bar:
            result = RecordImporter(
                user=user,
                publish=options["publish"],
                dry_run=options["dry_run"],
                media_dir=media_dir,
                batch_size=options["batch_size"],
                progress=bar.update,
            ).run(rows)
        for error in result.errors():
            self.stderr.write(
                _("row %(row)s, %(column)s: %(reason)s")
                % {"row": error["row"], "column": error["column"] or "-", "reason": error["reason"]}
            )
        if options["report"]:
            Path(options["report"]).write_text(
                json.dumps(result.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        self.stdout.write(result.summary())
