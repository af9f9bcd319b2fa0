"""An import of a field-survey sheet started from the admin, with its progress and report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from media_pipeline.storage import private_storage


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    file = models.FileField(
        _("sheet"), upload_to="imports/%Y/%m/", storage=private_storage, max_length=500
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failed_count = models.PositiveIntegerField(_("rows failed"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("record import")
        verbose_name_plural = _("record imports")

    def __str__(self):
        return f"{self.original_filename} ({self.get_status_display()})"

    @property
    def dry_run(self):
        return bool(self.options.get("dry_run"))

    @property
    def publish(self):
        return bool(self.options.get("publish"))

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self):
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def errors(self):
        return [
            {"row": row["row"], "record_id": row["record_id"], **error}
            for row in self.report
            for error in row.get("errors", [])
        ]
