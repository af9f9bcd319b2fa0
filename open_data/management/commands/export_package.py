"""Write records as BagIt preservation packages (the archive's own copy, never public)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from heritage.models import RecordPage
from open_data.packages import PackageError, export_package


class Command(BaseCommand):
    help = "Write a record (or --all) as BagIt bags in DIR; stdout lists the bags written."

    def add_arguments(self, parser):
        parser.add_argument("record_id", nargs="?", help="the record's id, e.g. TQ-LH-0001")
        parser.add_argument("directory")
        parser.add_argument("--all", action="store_true", help="every record")

    def handle(self, *args, record_id=None, directory=None, all=False, **options):
        if all == bool(record_id):
            raise CommandError("Give either one RECORD_ID or --all.")
        if all:
            ids = list(
                RecordPage.objects.order_by("record_id")
                .values_list("record_id", flat=True)
                .distinct()
            )
        else:
            ids = [record_id]
        for rid in tqdm(ids, desc="packages", file=sys.stderr, disable=not all):
            try:
                bag = export_package(rid, directory)
            except PackageError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(str(bag))
