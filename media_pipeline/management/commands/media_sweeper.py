"""Re-deliver processing jobs whose delivery was lost or whose worker died."""

import json
import time

from django.core.management.base import BaseCommand

from media_pipeline.jobs import sweep


class Command(BaseCommand):
    help = (
        "Re-enqueue queued jobs never delivered (queue was down) and running jobs whose "
        "lease expired. Run from cron, or with --every SECONDS beside the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="loop, sleeping this long")

    def handle(self, *args, every=0, **options):
        while True:
            self.stdout.write(json.dumps(sweep()))
            if not every:
                return
            time.sleep(every)
