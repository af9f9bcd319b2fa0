"""Take a file into the archive from the command line (e.g. from a field drive)."""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.models import Collection

from media_pipeline import jobs
from media_pipeline.ingest import IngestError, ingest_file
from media_pipeline.uploads import upload_collections


def describe(asset):
    """The JSON printed by --wait: the asset, its probed facts and renditions."""
    asset.refresh_from_db()
    probe = asset.probe or {}
    job = asset.latest_job
    return {
        "asset_id": asset.pk,
        "title": asset.title,
        "state": asset.state,
        "error": asset.error,
        "media_type": asset.media_type,
        "sha256": asset.sha256,
        "bytes": asset.file_size,
        "original_filename": asset.original_filename,
        "master": asset.file.name,
        "probe": {
            key: probe.get(key)
            for key in (
                "container",
                "codecs",
                "duration",
                "width",
                "height",
                "rotation",
                "frame_rate",
                "audio_channels",
            )
        },
        "job": None
        if job is None
        else {"id": job.pk, "state": job.state, "attempts": job.attempts, "error": job.error},
        "renditions": [
            {
                "name": r.name,
                "kind": r.kind,
                "storage_path": r.storage_name,
                "url": r.url,
                "width": r.width,
                "height": r.height,
                "bitrate": r.bitrate,
                "bytes": r.bytes,
                "duration": r.duration,
            }
            for r in asset.renditions.order_by("kind", "name")
        ],
    }


class Command(BaseCommand):
    help = "Ingest a media file: store the master, record its SHA-256 and queue processing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--record", help="record ID to attach the media to")
        parser.add_argument("--title")
        parser.add_argument(
            "--user",
            help="ingest as this user, as their upload would: their collections and records only",
        )
        parser.add_argument(
            "--collection",
            help="name of the collection to store it in (default: the user's first, or the root)",
        )
        parser.add_argument(
            "--wait", action="store_true", help="process now, in the foreground, and print JSON"
        )

    def handle(
        self,
        *args,
        file,
        record=None,
        title=None,
        wait=False,
        user=None,
        collection=None,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        if user is not None:
            user = self._user(user)
        collection = self._collection(user, collection)
        with tqdm(
            total=path.stat().st_size, unit="B", unit_scale=True, desc="sha256", file=sys.stderr
        ) as bar:
            try:
                result = ingest_file(
                    path,
                    title=title,
                    links={"record_ids": [record]} if record else None,
                    user=user,
                    collection=collection,
                    deliver=not wait,
                    on_hash_bytes=bar.update,
                )
            except IngestError as exc:
                raise CommandError(str(exc)) from exc
        if wait and result.job is not None:
            with tqdm(total=100, unit="%", desc="processing", file=sys.stderr) as bar:

                def progress(percent):
                    bar.update(max(0.0, percent - bar.n))

                jobs.run_job(result.job.pk, on_progress=progress)
        data = describe(result.asset)
        data["duplicate"] = result.duplicate
        self.stdout.write(json.dumps(data, ensure_ascii=False))
        if wait and data["state"] == "failed":
            raise SystemExit(1)

    @staticmethod
    def _user(username):
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(_("No such user: %(user)s") % {"user": username}) from exc

    @staticmethod
    def _collection(user, name):
        """Where the master goes: with --user, a collection the user may add to (as uploads)."""
        collections = Collection.objects.all() if user is None else upload_collections(user)
        if name:
            found = collections.filter(name=name).first()
            if found is None:
                raise CommandError(
                    _("No collection %(name)s that you may add media to") % {"name": name}
                )
            return found
        if user is None:
            return None  # the asset's default: the root collection
        found = collections.order_by("path").first()
        if found is None:
            raise CommandError(
                _("%(user)s may not add media to any collection") % {"user": user.username}
            )
        return found
