"""Admin panel showing an asset's processing state, progress and renditions."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class ProcessingPanel(Panel):
    """State, live progress (polled), the error and a retry button."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media_pipeline/panels/processing.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            asset = self.instance
            context.update(
                asset=asset,
                job=asset.latest_job,
                renditions=asset.renditions.order_by("kind", "name"),
                status_url=reverse("media_pipeline_admin:status", args=[asset.pk]),
                retry_url=reverse("media_pipeline_admin:retry", args=[asset.pk]),
            )
            return context
