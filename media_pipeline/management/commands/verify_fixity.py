"""Re-hash every master and report those that changed or went missing."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from media_pipeline.fixity import sha256_of
from media_pipeline.models import EventOutcome, EventType, MediaAsset
from media_pipeline.preservation import FIXITY_AGENT, record_event


def rehash(asset):
    """'ok', 'changed' or 'missing' for the asset's master."""
    storage = asset.file.storage
    try:
        if not storage.exists(asset.file.name):
            return "missing"
        with storage.open(asset.file.name, "rb") as fh:
            digest = sha256_of(fh)
    except FileNotFoundError:
        return "missing"
    return "ok" if digest == asset.sha256 else "changed"


class Command(BaseCommand):
    help = "Verify the SHA-256 of every master; exit 1 if any changed or is missing."

    def add_arguments(self, parser):
        parser.add_argument("--asset", type=int, action="append", help="only these asset ids")

    def handle(self, *args, asset=None, **options):
        assets = MediaAsset.objects.exclude(sha256="").order_by("pk")
        if asset:
            assets = assets.filter(pk__in=asset)
        bad = checked = 0
        for item in tqdm(
            assets.iterator(chunk_size=200), total=assets.count(), desc="fixity", file=sys.stderr
        ):
            status = rehash(item)
            checked += 1
            MediaAsset.objects.filter(pk=item.pk).update(
                fixity_checked_at=timezone.now(), fixity_ok=status == "ok"
            )
            record_event(
                item,
                EventType.FIXITY_CHECK,
                EventOutcome.SUCCESS if status == "ok" else EventOutcome.FAILURE,
                agent=FIXITY_AGENT,
                detail=f"master {status}",
            )
            if status != "ok":
                bad += 1
                self.stdout.write(f"{status.upper()}\t{item.pk}\t{item.file.name}\t{item.sha256}")
        self.stdout.write(f"checked {checked} masters, {bad} bad")
        if bad:
            raise SystemExit(1)
