"""What the dataset downloads were last generated as, and whether a run is going."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetRun(models.Model):
    """One generation of the downloads; the newest finished one is what visitors get.

    ``files`` lists what the run wrote, one entry per format: ``{"format",
    "name" (the stable public name), "stored_as" (the storage name, unique
    per content), "media_type", "size", "sha256", "records"}``. A download
    reads the stored file a finished run names, so it never sees one being
    written.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    files = models.JSONField(_("files"), default=list, blank=True)
    error_message = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("dataset generation")
        verbose_name_plural = _("dataset generations")

    def __str__(self):
        return f"{self.get_state_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def file(self, name):
        """The entry of the file published as ``name``, or None."""
        return next((entry for entry in self.files if entry["name"] == name), None)
