"""Finishing a tus upload: the complete part file is hashed, stored and queued.

This runs as a task (``media_pipeline.tasks.finish_upload``), not in the
PATCH that brought the last byte: hashing a multi-gigabyte master takes
minutes.  The session's ``phase`` and ``hashed_bytes`` are written as it
goes (outside any transaction) so the upload page can show them.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from media_pipeline.ingest import IngestError, ingest_file
from media_pipeline.models import MediaAsset, UploadPhase, UploadSession

logger = logging.getLogger(__name__)

# Write "bytes hashed" at most every this many bytes (and once at the end).
HASH_REPORT_BYTES = 32 * 1024 * 1024


def upload_dir():
    path = Path(
        getattr(settings, "MEDIA_UPLOAD_DIR", None)
        or Path(settings.PRIVATE_MEDIA_ROOT) / ".uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(session):
    return upload_dir() / f"{session.uid.hex}.part"


def upload_collections(user):
    """The collections this user may add media to."""
    return policy_registry.get_by_type(MediaAsset).collections_user_has_permission_for(user, "add")


def _set_phase(session_id, phase, **fields):
    UploadSession.objects.filter(pk=session_id).update(phase=phase, **fields)


def queue_finishing(session):
    """The last byte arrived: mark the session and hand it to the task queue after commit."""
    from media_pipeline.jobs import delivery_errors
    from media_pipeline.tasks import finish_upload

    _set_phase(session.pk, UploadPhase.HASHING, hashed_bytes=0)
    session.phase, session.hashed_bytes = UploadPhase.HASHING, 0

    def deliver():
        try:
            finish_upload.enqueue(session.pk)
        except delivery_errors() as exc:
            logger.warning("could not queue the finishing of upload %s: %s", session.uid, exc)
            _set_phase(
                session.pk,
                UploadPhase.FAILED,
                error=_("The upload could not be queued for checking; please try again later."),
            )

    transaction.on_commit(deliver)


class _HashReporter:
    """ingest_file's on_hash_bytes: throttled "bytes hashed", then the storing phase."""

    def __init__(self, session):
        self.session_id = session.pk
        self.length = session.length
        self.hashed = 0
        self.reported = 0

    def __call__(self, count):
        self.hashed += count
        if self.hashed >= self.length:
            _set_phase(self.session_id, UploadPhase.STORING, hashed_bytes=self.hashed)
        elif self.hashed - self.reported >= HASH_REPORT_BYTES:
            UploadSession.objects.filter(pk=self.session_id).update(hashed_bytes=self.hashed)
            self.reported = self.hashed


def _collection_for(session):
    allowed = upload_collections(session.user)
    wanted = session.metadata.get("collection", "")
    collection = allowed.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    return collection or allowed.order_by("path").first() or Collection.get_first_root_node()


def finish(session_id):
    """Ingest the complete part file of the session; returns the session (reloaded)."""
    session = UploadSession.objects.select_related("user").filter(pk=session_id).first()
    if session is None or session.phase != UploadPhase.HASHING or session.asset_id:
        return session  # deleted meanwhile, or already finished by an earlier delivery
    meta = session.metadata
    path = part_path(session)
    try:
        result = ingest_file(
            path,
            title=meta.get("title") or None,
            original_filename=session.filename or "upload",
            links={"record_ids": [meta["record"]]} if meta.get("record") else None,
            user=session.user,
            collection=_collection_for(session),
            on_hash_bytes=_HashReporter(session),
        )
    except (IngestError, FileNotFoundError) as exc:
        message = str(exc) if isinstance(exc, IngestError) else _("The uploaded file is gone.")
        _set_phase(session.pk, UploadPhase.FAILED, error=message)
        session.refresh_from_db()
        return session
    _set_phase(
        session.pk,
        UploadPhase.DONE if result.duplicate else UploadPhase.QUEUED,
        asset=result.asset,
        duplicate=result.duplicate,
        hashed_bytes=session.length,
    )
    path.unlink(missing_ok=True)
    session.refresh_from_db()
    return session
