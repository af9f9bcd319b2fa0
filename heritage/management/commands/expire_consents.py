"""Daily: hide the media of people whose public-display consent expired since the last run."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from heritage.media import hide_media_no_longer_public, media_of_person
from heritage.models import Consent
from media_pipeline.models import Checkpoint

CHECKPOINT = "expire_consents"


class Command(BaseCommand):
    help = "Hide media whose people's consents expired since the last run (idempotent)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        mark = Checkpoint.objects.filter(name=CHECKPOINT).first()
        since = mark.value if mark else datetime.date.min
        # expires_on is the last valid day: it has expired once it is before today.
        people = sorted(
            set(
                Consent.objects.filter(
                    expires_on__gte=since, expires_on__lt=today, withdrawn_on__isnull=True
                ).values_list("person_id", flat=True)
            )
        )
        hidden = 0
        for person_id in people:
            hidden += len(hide_media_no_longer_public(media_of_person(person_id)))
        with transaction.atomic():
            Checkpoint.objects.update_or_create(name=CHECKPOINT, defaults={"value": today})
        self.stdout.write(
            f"{len(people)} people with consents expired since {since}; {hidden} media hidden"
        )
