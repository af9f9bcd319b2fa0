"""Recreate a record and its media from a preservation package (BagIt bag)."""

from django.core.management.base import BaseCommand, CommandError

from open_data.packages import PackageError, import_package


class Command(BaseCommand):
    help = "Validate a BagIt package, then recreate its record and media; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory=None, **options):
        try:
            page = import_package(directory)
        except PackageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"imported {page.record_id}")
