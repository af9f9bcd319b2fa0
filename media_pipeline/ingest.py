"""Taking a file into the archive: fixity, duplicate check, safe name, job.

The master is stored byte for byte under a name we sanitise; the name the
officer's device gave it is kept in ``original_filename`` only.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from media_pipeline.fixity import sha256_of
from media_pipeline.models import EventType, MediaAsset, ProcessingState, TranscodeJob
from media_pipeline.preservation import INGEST_AGENT, record_event
from media_pipeline.signals import asset_ingested
from search.text import fold

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class IngestError(Exception):
    """The file cannot be taken in at all (nothing was stored); message for officers."""


@dataclass
class IngestResult:
    asset: MediaAsset
    duplicate: bool
    job: TranscodeJob | None


def max_upload_bytes():
    return int(getattr(settings, "MEDIA_MAX_UPLOAD_BYTES", 20 * 1024**3))


def original_name(name):
    """The last path component of a name from any OS, control characters removed."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()[:255]


def sanitise_filename(name):
    """A storage-safe ASCII name: no folders, no ``..``, folded as slugs and search fold.

    "../../Lễ hội Lồng Tồng (2024).MP4" -> "le_hoi_long_tong_2024.mp4".
    """
    name = fold(original_name(name)).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:100] or "master"
    ext = _UNSAFE.sub("", ext)[:10]
    return f"{stem}.{ext}" if ext else stem


def title_from_filename(name):
    """A readable title from a file name: no extension, ``_`` and ``-`` as spaces.

    "le_hoi-long-tong.mp4" -> "le hoi long tong"; Vietnamese letters are kept.
    """
    original = original_name(name)
    stem = Path(original).stem or original
    return " ".join(stem.replace("_", " ").replace("-", " ").split())


# What a caller may say about a new asset at ingest; the job's probe still
# has the last word on ``media_type``.
DETAIL_FIELDS = frozenset(
    {
        "media_type",
        "description",
        "recorded_by",
        "recorded_by_en",
        "recorded_on",
        "access",
        "sensitivity_warning",
    }
)


def find_duplicate(sha256):
    return MediaAsset.objects.filter(sha256=sha256).order_by("pk").first()


def _announce(asset, links, user, duplicate):
    asset_ingested.send(
        sender=MediaAsset, asset=asset, links=links or {}, user=user, duplicate=duplicate
    )


def ingest_file(
    path,
    *,
    title=None,
    original_filename=None,
    links=None,
    user=None,
    collection=None,
    details=None,
    deliver=True,
    on_hash_bytes=None,
):
    """Store a local file as a new asset's master and queue its processing job.

    A file whose SHA-256 matches an existing master is not stored again: the
    existing asset is returned with ``duplicate=True``.  The type is not
    decided here but by the job, from the content.  ``links`` is handed to
    the ``asset_ingested`` receivers unread (the archive links records and
    people from it); a receiver's error rolls the ingest back.  ``details``
    sets descriptive fields of a new asset (see ``DETAIL_FIELDS``); a
    duplicate keeps its own.
    """
    details = dict(details or {})
    unknown = details.keys() - DETAIL_FIELDS
    if unknown:
        raise TypeError(f"ingest_file() got unknown details: {sorted(unknown)}")
    path = Path(path)
    original = original_name(original_filename or path.name)
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise IngestError(
            _("The file is larger than the limit of %(limit)s bytes.")
            % {"limit": max_upload_bytes()}
        )
    with open(path, "rb") as fh:
        digest = sha256_of(fh, on_hash_bytes)
        existing = find_duplicate(digest)
        if existing is not None:
            with transaction.atomic():
                _announce(existing, links, user, duplicate=True)
            return IngestResult(existing, True, None)
        asset = MediaAsset(
            # Until the job reads the file's own title (see jobs.file_title).
            title=title or title_from_filename(original) or _("Untitled"),
            original_filename=original,
            file_size=size,
            sha256=digest,
            uploaded_by=user if user and user.is_authenticated else None,
            state=ProcessingState.PENDING,
            **details,
        )
        if collection is not None:
            asset.collection = collection
        # The master is written before the row exists: should the row fail,
        # an orphan file is a smaller loss than a row without its master.
        asset.file.save(sanitise_filename(original), File(fh, name=original), save=False)
    stored = asset.file.storage.size(asset.file.name)
    if stored != size:
        raise IngestError(
            _("The stored copy has %(stored)d bytes instead of %(size)d.")
            % {"stored": stored, "size": size}
        )
    from media_pipeline.jobs import create_job

    with transaction.atomic():
        asset.save()
        record_event(
            asset, EventType.INGESTION, agent=INGEST_AGENT, detail=f"{original} ({size} bytes)"
        )
        _announce(asset, links, user, duplicate=False)
        job = create_job(asset, deliver=deliver)
    logger.info("ingested %s as asset %s (%s)", original, asset.pk, digest)
    return IngestResult(asset, False, job)
