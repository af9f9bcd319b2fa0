"""manage.py load_demo: a believable demo archive in Vietnamese and English."""

import sys

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from tqdm import tqdm

from heritage.demo import DEFAULT_ADMIN_PASSWORD, load_demo
from heritage.demo_content import MEDIA, RECORDS, STORIES
from heritage.models import Province


class Command(BaseCommand):
    help = "Load demo records, people, media and logins (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            default=DEFAULT_ADMIN_PASSWORD,
            help="Password for the demo logins (default: %(default)s).",
        )
        parser.add_argument(
            "--no-media-processing",
            action="store_true",
            help="Store the media masters without queueing their transcoding.",
        )

    def handle(self, *args, admin_password, no_media_processing, **options):
        steps = Province.objects.current().count() + 1 + len(MEDIA) + len(RECORDS) + len(STORIES)
        with tqdm(total=steps, file=sys.stderr, unit="step", disable=None) as bar:

            def tick(label):
                bar.set_postfix_str(label[:40])
                bar.update()

            # Workflow notifications about demo submissions would only be noise.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                result = load_demo(
                    admin_password=admin_password,
                    process_media=not no_media_processing,
                    progress=tick,
                )
        published = sum(1 for r in result.records.values() if r["vi"].live)
        self.stdout.write(
            f"Demo archive ready: {len(result.records)} records ({published} published), "
            f"{len(result.media)} media items, {len(result.stories)} stories."
        )
        self.stdout.write("Logins (http://127.0.0.1:8000/admin/):")
        for role, username, password in result.logins:
            self.stdout.write(f"  {role:20} {username:16} {password}")
