"""Rebuild the record search index from the live pages (progress bar on stderr)."""

import sys

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from heritage.models import RecordPage
from search import documents, fts
from search.models import RecordSearchDocument


class Command(BaseCommand):
    help = "Rebuild the record search documents of every live record (all translations)."

    def handle(self, *args, **options):
        total = RecordPage.objects.live().order_by().values("record_id").distinct().count()
        with tqdm(total=total, unit="record", file=sys.stderr, disable=None) as progress:
            count = documents.rebuild(progress=progress)
        fts.rebuild_fts(connection)
        self.stdout.write(
            f"Indexed {count} pages of {total} records; "
            f"{RecordSearchDocument.objects.count()} search documents."
        )
