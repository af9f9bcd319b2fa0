"""manage.py setup_archive: the second step of getting a database ready, after migrate."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from heritage.curation import set_up_archive
from heritage.models import Province


class Command(BaseCommand):
    help = (
        "Create the cache table, locales, home pages, the 34 province sections, teams and "
        "review workflows (safe to run again; run it after every migrate)."
    )

    def handle(self, *args, **options):
        total = Province.objects.current().count()
        with tqdm(total=total, desc="Province teams", unit="team", file=self.stderr._out) as bar:
            teams = set_up_archive(progress=lambda province: bar.update())
        self.stdout.write(f"{len(teams)} province teams ready")
