"""Write the dataset downloads now (what the ``regenerate_datasets`` task does)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from open_data.datasets import generate_datasets, public_record_count


class Command(BaseCommand):
    help = "Write the CSV, JSON and Dublin Core XML downloads of every public record now."

    def handle(self, *args, **options):
        with tqdm(
            total=public_record_count(), unit="record", file=self.stderr._out, desc="open data"
        ) as bar:
            try:
                run = generate_datasets(progress=bar.update)
            except OSError as exc:
                raise CommandError(f"Could not write the downloads: {exc}") from exc
        for entry in run.files:
            self.stdout.write(
                f"{entry['name']}\t{entry['stored_as']}\t{entry['size']} bytes"
                f"\tsha256:{entry['sha256']}\t{entry['records']} records"
            )
