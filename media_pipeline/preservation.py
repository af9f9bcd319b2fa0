"""The PREMIS event log of masters: ingestion, fixity checks, migrations, deletion.

Each function that does one of these to a master writes its event here with
:func:`record_event`; the events go into preservation packages.
"""

import functools
import subprocess

import PIL
from django.db import transaction

from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.models import EventOutcome, EventType, PreservationEvent

INGEST_AGENT = "heritage-archive media_pipeline ingest"
FIXITY_AGENT = "heritage-archive media_pipeline fixity (SHA-256)"
DELETION_AGENT = "heritage-archive media_pipeline admin deletion"


@functools.cache
def ffmpeg_agent():
    """'ffmpeg 5.1.x', read once from ``ffmpeg -version``."""
    try:
        out = subprocess.run(  # noqa: S603 - fixed argument list
            [ffmpeg_binary(), "-version"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "ffmpeg (version unknown)"
    words = out.split()
    return f"ffmpeg {words[2]}" if len(words) > 2 and words[1] == "version" else "ffmpeg"


def pillow_agent():
    return f"Pillow {PIL.__version__}"


def migration_agent(media_type):
    """The tool that made an asset's renditions."""
    return pillow_agent() if media_type == "image" else ffmpeg_agent()


def record_event(asset, event_type, outcome=EventOutcome.SUCCESS, *, agent, detail=""):
    """Write one event of ``asset``'s master to the log."""
    return PreservationEvent.objects.create(
        asset=asset if asset.pk else None,
        asset_uuid=str(asset.uuid),
        asset_sha256=asset.sha256,
        event_type=event_type,
        outcome=outcome,
        outcome_detail=detail,
        agent=agent,
    )


def delete_asset(asset, delete):
    """Delete an asset with ``delete()`` (the admin's delete action), logging the deletion first.

    The event keeps the asset's uuid and SHA-256; its link to the asset is
    cleared by the deletion itself.
    """
    with transaction.atomic():
        record_event(
            asset, EventType.DELETION, agent=DELETION_AGENT, detail=asset.original_filename
        )
        delete()
