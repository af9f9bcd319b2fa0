"""Media assets: the masters of photos, video, audio and documents from field surveys."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import CollectionMember
from wagtail.search import index

from media_pipeline.access import policy
from media_pipeline.concurrency import StaleEditRefusalForm
from media_pipeline.storage import private_storage


class MediaType(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


class AssetAccess(models.TextChoices):
    # The same values and labels as the archive's ``heritage.access.Access``.
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted (officers and named groups only)")


class ProcessingState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def new_token():
    """A random path component: file URLs cannot be guessed from ids."""
    return secrets.token_urlsafe(18)


def master_upload_to(asset, filename):
    # A fresh folder per asset: names never collide and never reveal the id.
    return f"masters/{asset.uuid.hex[:2]}/{asset.uuid.hex}/{filename}"


class MediaAssetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assets this user may see, as the project's access policy decides."""
        return policy().visible(self, user)


class MediaAsset(CollectionMember, index.Indexed, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    media_type = models.CharField(
        _("media type"), max_length=16, choices=MediaType.choices, blank=True
    )
    file = models.FileField(
        _("master file"), upload_to=master_upload_to, storage=private_storage, max_length=500
    )
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, editable=False)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, db_index=True, editable=False
    )
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(
        _("access"), max_length=16, choices=AssetAccess.choices, default=AssetAccess.PUBLIC
    )
    sensitivity_warning = models.TextField(_("sensitivity warning"), blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=255, blank=True)
    recorded_by_en = models.CharField(
        _("recorded by, in English"),
        max_length=255,
        blank=True,
        help_text=_("Only where it reads differently in English, e.g. a team's name."),
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    # Processing and fixity, filled by the pipeline.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    state = models.CharField(
        _("processing state"),
        max_length=16,
        choices=ProcessingState.choices,
        default=ProcessingState.PENDING,
        editable=False,
    )
    error = models.TextField(_("processing error"), blank=True, editable=False)
    probe = models.JSONField(_("technical metadata"), default=dict, blank=True, editable=False)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True, editable=False)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    # Storage folder of the current renditions; random, and new on every run,
    # so a half-finished run never mixes with the published one.
    renditions_prefix = models.CharField(max_length=200, blank=True, editable=False)
    fixity_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    fixity_ok = models.BooleanField(null=True, editable=False)

    objects = MediaAssetQuerySet.as_manager()

    base_form_class = StaleEditRefusalForm

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("media_type"),
        index.FilterField("collection"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("media item")
        verbose_name_plural = _("media")
        permissions = [("choose_mediaasset", "Can choose media item")]

    def __str__(self):
        return self.title

    def credit(self, language):
        """Who recorded it, as a page in ``language`` names them."""
        if language == "en" and self.recorded_by_en:
            return self.recorded_by_en
        return self.recorded_by

    def file_url(self, path):
        """The access-checked URL of one of this asset's files."""
        return reverse("media_pipeline:file", args=[self.token, path])

    @property
    def latest_job(self):
        return self.jobs.order_by("-created_at", "-pk").first()

    def rendition(self, name):
        return self.renditions.filter(name=name).first()

    def state_summary(self, job=None):
        """The processing state as one sentence, the same in every admin screen.

        ``job`` is the latest job when the caller has it already.
        """
        if self.state == ProcessingState.READY:
            count = len(self.renditions.all())
            return ngettext("Ready: %(count)d rendition", "Ready: %(count)d renditions", count) % {
                "count": count
            }
        if self.state == ProcessingState.FAILED:
            return gettext("Failed: %(error)s") % {
                "error": self.error or gettext("no reason was recorded")
            }
        job = job or self.latest_job
        if self.state == ProcessingState.PROCESSING and job is not None:
            return gettext("Processing: %(progress)d %% (attempt %(attempt)d of %(max)d)") % {
                "progress": round(job.progress),
                "attempt": max(job.attempts, 1),
                "max": job.max_attempts,
            }
        return gettext("Waiting to be processed")


class Rendition(models.Model):
    """One playable or viewable output of an asset (an HLS variant, an MP4, a WebP...)."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=64)  # "hls", "hls-360p", "mp4-360p", "webp-640"
    kind = models.CharField(max_length=32)  # hls_master, hls_variant, mp4, audio, image, ...
    path = models.CharField(max_length=255)  # main file, relative to the asset's prefix
    files = models.JSONField(default=list)  # every file it consists of, relative
    mime_type = models.CharField(max_length=100)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    bitrate = models.PositiveIntegerField(null=True, blank=True)
    bytes = models.PositiveBigIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True)
    codecs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "name"], name="unique_asset_rendition")
        ]

    def __str__(self):
        return f"{self.asset_id}:{self.name}"

    @property
    def storage_name(self):
        return f"{self.asset.renditions_prefix}/{self.path}"

    @property
    def url(self):
        return self.asset.file_url(self.path)


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class TranscodeJob(models.Model):
    """The source of truth for processing work; the task queue only delivers it.

    A worker claims a job by taking a lease it renews while ffmpeg reports
    progress; the sweeper hands jobs with lost deliveries or expired leases
    out again.
    """

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="jobs")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    worker_id = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("processing job")
        verbose_name_plural = _("processing jobs")

    def __str__(self):
        return f"job {self.pk} ({self.state}) for asset {self.asset_id}"


def validate_webvtt(file):
    """Reject anything that is not a WebVTT file (header line and cue timings)."""
    from media_pipeline.captions import WebVTTError, parse_webvtt

    file.seek(0)
    raw = file.read()
    file.seek(0)
    try:
        parse_webvtt(raw)
    except WebVTTError as exc:
        raise ValidationError(str(exc)) from exc


def caption_upload_to(caption, filename):
    return f"captions/{caption.asset.uuid.hex}/{secrets.token_hex(8)}.vtt"


class CaptionKind(models.TextChoices):
    CAPTIONS = "captions", _("Captions / subtitles")
    TRANSCRIPT = "transcript", _("Transcript")


class Caption(models.Model):
    """WebVTT captions or a transcript of a video or audio asset, per language."""

    asset = models.ForeignKey(
        MediaAsset, on_delete=models.CASCADE, related_name="captions", verbose_name=_("media item")
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        help_text=_("A BCP 47 code: vi, en, or an ethnic language such as tyz (Tày)."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CaptionKind.choices, default=CaptionKind.CAPTIONS
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    file = models.FileField(
        _("WebVTT file"),
        upload_to=caption_upload_to,
        storage=private_storage,
        validators=[validate_webvtt],
    )
    text = models.TextField(_("text"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("text")]

    class Meta:
        ordering = ["asset", "language", "kind"]
        verbose_name = _("caption or transcript")
        verbose_name_plural = _("captions and transcripts")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "language", "kind"], name="unique_caption_language_kind"
            )
        ]

    def __str__(self):
        return f"{self.asset} [{self.language}, {self.get_kind_display()}]"

    @property
    def path(self):
        return f"captions/{self.language}-{self.kind}.vtt"

    @property
    def url(self):
        return self.asset.file_url(self.path)

    def cues(self):
        """(start, end, text) of every cue, read from the stored file; [] if unreadable."""
        from media_pipeline.captions import WebVTTError, parse_cues

        try:
            with self.file.open("rb") as fh:
                return parse_cues(fh.read())
        except (OSError, WebVTTError):
            return []

    def save(self, *args, **kwargs):
        # The searchable text is derived data of the file, like a file size.
        from media_pipeline.captions import WebVTTError, cue_text

        if self.file and not self.text:
            # A new upload (not yet committed to storage) is stored from this very
            # handle by super().save(): rewind it rather than close it.
            stored = self.file._committed
            try:
                self.file.open("rb")
                self.text = cue_text(self.file.read())
            except WebVTTError:
                self.text = ""
            finally:
                if stored:
                    self.file.close()
                else:
                    self.file.seek(0)
        super().save(*args, **kwargs)


class UploadPhase(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    HASHING = "hashing", _("Checking the file (SHA-256)")
    STORING = "storing", _("Storing the master")
    QUEUED = "queued", _("Queued for processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class UploadSession(models.Model):
    """One tus upload: its bytes collect in a local part file until complete.

    Then a task (``media_pipeline.tasks.finish_upload``) hashes and stores
    it; ``phase`` and ``hashed_bytes`` tell the upload page how far it got.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    asset = models.ForeignKey(
        MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate = models.BooleanField(default=False)
    phase = models.CharField(
        max_length=16, choices=UploadPhase.choices, default=UploadPhase.RECEIVING
    )
    hashed_bytes = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"upload {self.uid} ({self.offset}/{self.length}, {self.phase})"

    @property
    def complete(self):
        return self.offset == self.length


class Checkpoint(models.Model):
    """When a periodic command last ran (e.g. expire_consents), so reruns are idempotent."""

    name = models.CharField(max_length=64, unique=True)
    value = models.DateField()

    def __str__(self):
        return f"{self.name}: {self.value}"


class EventType(models.TextChoices):
    # PREMIS 3 event types (id.loc.gov/vocabulary/preservation/eventType).
    INGESTION = "ingestion", _("Ingestion")
    FIXITY_CHECK = "fixity check", _("Fixity check")
    MIGRATION = "migration", _("Migration")
    DELETION = "deletion", _("Deletion")


class EventOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class PreservationEvent(models.Model):
    """One PREMIS event of a master: what was done to it, by which tool, and how it went.

    The asset's uuid and SHA-256 are kept as text so the log outlives the asset.
    """

    asset = models.ForeignKey(
        MediaAsset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="preservation_events",
    )
    asset_uuid = models.CharField(max_length=36, db_index=True)
    asset_sha256 = models.CharField(max_length=64, blank=True)
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=EventOutcome.choices)
    outcome_detail = models.TextField(_("detail"), blank=True)
    agent = models.CharField(_("agent"), max_length=255)
    date = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("preservation event")
        verbose_name_plural = _("preservation events")

    def __str__(self):
        return f"{self.event_type} of {self.asset_uuid}: {self.outcome}"
