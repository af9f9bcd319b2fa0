"""manage.py export_records FILE: records as the import sheet, for editing and re-import."""

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from heritage.exporting import ExportError, record_rows, write_rows
from heritage.models import Province


class Command(BaseCommand):
    help = _(
        "Export records to CSV or XLSX (by extension) in the import's columns plus body_json; "
        "re-importing the file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .csv or .xlsx file to write"))
        parser.add_argument("--province", help=_("only this province (current or former name)"))
        parser.add_argument(
            "--include-restricted",
            action=argparse.BooleanOptionalAction,
            default=True,
            help=_("include restricted records (default: yes, this is an officer tool)"),
        )
        parser.add_argument(
            "--locale-independent",
            action="store_true",
            help=_("also export records that have no Vietnamese page"),
        )

    def handle(self, *args, **options):
        province = None
        if options["province"]:
            _recorded, province = Province.objects.resolve(options["province"])
            if province is None:
                raise CommandError(_("Unknown province: %(name)s") % {"name": options["province"]})
        with tqdm(total=2, desc=_("Export"), file=self.stderr._out) as bar:
            rows = record_rows(
                province=province,
                include_restricted=options["include_restricted"],
                locale_independent=options["locale_independent"],
            )
            bar.update()
            try:
                count = write_rows(options["file"], rows)
            except ExportError as exc:
                raise CommandError(str(exc)) from exc
            bar.update()
        self.stdout.write(_("exported %(count)s records") % {"count": count})
