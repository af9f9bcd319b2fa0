"""Check a preservation package's manifests; name every file that changed or is missing."""

from django.core.management.base import BaseCommand, CommandError

from open_data.packages import verify_package


class Command(BaseCommand):
    help = "Validate a BagIt package; exit non-zero naming each changed or missing file."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory=None, **options):
        problems = verify_package(directory)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{directory} failed validation: {len(problems)} problem(s).")
        self.stdout.write(f"{directory}: valid")
