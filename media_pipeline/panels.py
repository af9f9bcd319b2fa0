"""Admin panels of an asset's edit page: its preview and its processing state."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from media_pipeline.models import ProcessingState


class AssetPanel(Panel):
    """A panel about a saved asset (nothing to show on a form without one)."""

    class BoundPanel(Panel.BoundPanel):
        def is_shown(self):
            return bool(self.instance and self.instance.pk)


class PreviewPanel(AssetPanel):
    """What the asset looks or sounds like, from its renditions, and its original file."""

    class BoundPanel(AssetPanel.BoundPanel):
        template_name = "media_pipeline/panels/preview.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(asset=self.instance, master_url=self.instance.file_url("master"))
            return context


class ProcessingPanel(AssetPanel):
    """The state in one sentence (polled while busy), progress, renditions and a retry button."""

    class BoundPanel(AssetPanel.BoundPanel):
        template_name = "media_pipeline/panels/processing.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            asset = self.instance
            job = asset.latest_job
            context.update(
                asset=asset,
                job=job,
                summary=asset.state_summary(job),
                busy=asset.state in (ProcessingState.PENDING, ProcessingState.PROCESSING),
                renditions=asset.renditions.order_by("kind", "name"),
                status_url=reverse("media_pipeline_admin:status", args=[asset.pk]),
                retry_url=reverse("media_pipeline_admin:retry", args=[asset.pk]),
            )
            return context
