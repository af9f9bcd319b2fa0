"""Admin views: the resumable "Upload media" page (tus 1.0), job status and retry.

The tus server implements the core protocol plus the creation and
termination extensions.  Chunks are appended to a part file in a local
upload area; when the last byte arrives the PATCH answers at once and a
task ingests the file (hashes, stores it as a master, queues its processing
and removes the part file; see media_pipeline/uploads.py).
The size limit is enforced before anything is stored: at creation (413 for
an Upload-Length over MEDIA_MAX_UPLOAD_BYTES) and on every PATCH that
would go past the declared length.
"""

import base64
import binascii
import contextlib
import fcntl
import json
import os

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST
from wagtail.permissions import policy_registry

from media_pipeline import jobs
from media_pipeline.ingest import max_upload_bytes
from media_pipeline.models import MediaAsset, UploadPhase, UploadSession
from media_pipeline.uploads import part_path, queue_finishing, upload_collections

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination"
READ_CHUNK = 1024 * 1024


def permission_policy():
    return policy_registry.get_by_type(MediaAsset)


def _can_upload(user):
    return permission_policy().user_has_permission(user, "add")


def _tus(response):
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _status(code, text=""):
    return _tus(HttpResponse(text, status=code, content_type="text/plain; charset=utf-8"))


def _options():
    response = _status(204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = TUS_EXTENSIONS
    response["Tus-Max-Size"] = str(max_upload_bytes())
    return response


def parse_metadata(header):
    """Upload-Metadata: "key base64value,key2 base64value2" -> dict of str."""
    result = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            continue
    return result


def _int_header(request, name):
    value = request.headers.get(name)
    if value is None or not value.isdigit():
        return None
    return int(value)


def tus_upload(request):
    """tus collection endpoint: OPTIONS (discovery) and POST (creation)."""
    if request.method == "OPTIONS":
        return _options()
    if not _can_upload(request.user):
        return _status(403)
    if request.method != "POST":
        return _tus(HttpResponseNotAllowed(["OPTIONS", "POST"]))
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        response = _status(412)
        response["Tus-Version"] = TUS_VERSION
        return response
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _status(400, "Upload-Length is required")
    if length > max_upload_bytes():
        return _status(413, _("The file is larger than the upload limit."))
    metadata = parse_metadata(request.headers.get("Upload-Metadata"))
    session = UploadSession.objects.create(
        user=request.user,
        length=length,
        filename=metadata.get("filename", "")[:255],
        metadata=metadata,
    )
    part_path(session).touch()
    response = _status(201)
    response["Location"] = request.build_absolute_uri(
        reverse("media_pipeline_admin:tus_resource", args=[session.uid])
    )
    response["Upload-Offset"] = "0"
    return response


def _session(request, uid):
    session = UploadSession.objects.filter(uid=uid, user=request.user).first()
    if session is None:
        raise Http404
    return session


def _head_headers(response, session):
    response["Upload-Offset"] = str(session.offset)
    response["Upload-Length"] = str(session.length)
    if session.asset_id:
        response["Media-Asset-Id"] = str(session.asset_id)
        response["Media-Asset-Duplicate"] = "1" if session.duplicate else "0"
    return response


def tus_resource(request, uid):
    """One upload: HEAD (offset), PATCH (append), DELETE (termination), GET (result)."""
    if request.method == "OPTIONS":
        return _options()
    if not _can_upload(request.user):
        return _status(403)
    session = _session(request, uid)
    if request.method == "GET":
        return JsonResponse(_result(session))
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        response = _status(412)
        response["Tus-Version"] = TUS_VERSION
        return response
    if request.method == "HEAD":
        return _head_headers(_status(200), session)
    if request.method == "DELETE":
        with contextlib.suppress(FileNotFoundError):
            part_path(session).unlink()
        session.delete()
        return _status(204)
    if request.method == "PATCH":
        return _patch(request, session)
    return _tus(HttpResponseNotAllowed(["OPTIONS", "HEAD", "PATCH", "DELETE", "GET"]))


def _patch(request, session):
    if request.headers.get("Content-Type") != "application/offset+octet-stream":
        return _status(415)
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _status(400, "Upload-Offset is required")
    if offset != session.offset:
        return _head_headers(_status(409, "Upload-Offset does not match"), session)
    declared = _int_header(request, "Content-Length")
    limit = min(session.length, max_upload_bytes())
    if declared is not None and offset + declared > limit:
        return _status(413, _("This chunk would make the file larger than declared or allowed."))
    path = part_path(session)
    try:
        fh = open(path, "r+b")  # noqa: SIM115 - closed in finally, after the lock
    except FileNotFoundError as exc:
        raise Http404 from exc
    written = 0
    failed = False
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _status(423, "Another request is writing this upload")
        # Bytes past the confirmed offset belong to a request that died.
        fh.truncate(offset)
        fh.seek(offset)
        too_large = False
        try:
            while chunk := request.read(READ_CHUNK):
                if offset + written + len(chunk) > limit:
                    too_large = True
                    break
                fh.write(chunk)
                written += len(chunk)
        except OSError:
            # The connection dropped mid-chunk: keep what arrived, the client
            # asks HEAD for the offset and resumes from there.
            failed = True
        fh.flush()
        os.fsync(fh.fileno())
        if too_large:
            fh.truncate(offset)
            return _status(
                413, _("This chunk would make the file larger than declared or allowed.")
            )
    finally:
        fh.close()
    session.offset = offset + written
    session.save(update_fields=["offset", "updated_at"])
    if failed:
        return _head_headers(_status(400, "The request body ended early"), session)
    if session.complete and session.phase == UploadPhase.RECEIVING:
        queue_finishing(session)
    return _head_headers(_status(204), session)


def _result(session):
    data = {
        "offset": session.offset,
        "length": session.length,
        "complete": session.complete,
        "phase": session.phase,
        "phase_label": session.get_phase_display(),
        "hashed_bytes": session.hashed_bytes,
        "error": session.error,
        "asset": None,
    }
    if session.asset_id:
        data["asset"] = asset_status(session.asset)
        data["duplicate"] = session.duplicate
    return data


def asset_status(asset):
    """What the admin polls: the asset's state and its latest job."""
    job = asset.latest_job
    return {
        "id": asset.pk,
        "title": asset.title,
        "state": asset.state,
        "state_label": asset.get_state_display(),
        "summary": asset.state_summary(job),
        "error": asset.error,
        "media_type": asset.media_type,
        "edit_url": reverse("wagtailsnippets_media_pipeline_mediaasset:edit", args=[asset.pk]),
        "status_url": reverse("media_pipeline_admin:status", args=[asset.pk]),
        "job": None
        if job is None
        else {
            "id": job.pk,
            "state": job.state,
            "progress": job.progress,
            "attempts": job.attempts,
            "max_attempts": job.max_attempts,
            "error": job.error,
        },
    }


@ensure_csrf_cookie
def upload_page(request):
    """The "Upload media" page: resumable uploads with tus-js-client."""
    if not _can_upload(request.user):
        raise Http404
    return TemplateResponse(
        request,
        "media_pipeline/upload.html",
        {
            "collections": upload_collections(request.user).order_by("path"),
            "endpoint": reverse("media_pipeline_admin:tus_upload"),
            "max_bytes": max_upload_bytes(),
            "chunk_bytes": getattr(settings, "MEDIA_UPLOAD_CHUNK_BYTES", 16 * 1024 * 1024),
        },
    )


def status(request, pk):
    asset = get_object_or_404(MediaAsset, pk=pk)
    if not permission_policy().user_has_any_permission_for_instance(
        request.user, ["change", "choose"], asset
    ):
        raise Http404
    return JsonResponse(asset_status(asset))


@require_POST
def retry(request, pk):
    """Queue a new processing job for the asset (after a failure, or to redo it)."""
    asset = get_object_or_404(MediaAsset, pk=pk)
    if not permission_policy().user_has_permission_for_instance(request.user, "change", asset):
        raise Http404
    jobs.retry_job(asset)
    messages.success(
        request, _("Processing of “%(title)s” was queued again.") % {"title": asset.title}
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        asset.refresh_from_db()
        return HttpResponse(json.dumps(asset_status(asset)), content_type="application/json")
    return redirect("wagtailsnippets_media_pipeline_mediaasset:edit", asset.pk)
