from wagtail import hooks
from wagtail.admin.ui.components import Component

from open_data.datasets import latest_run, running_run


class DatasetStatusPanel(Component):
    """The dashboard's word on the downloads: when last generated, and whether a run is going."""

    name = "open_data_status"
    template_name = "open_data/admin/status_panel.html"
    order = 300

    def get_context_data(self, parent_context):
        return {"run": latest_run(), "running": running_run()}


@hooks.register("construct_homepage_panels")
def show_dataset_status(request, panels):
    panels.append(DatasetStatusPanel())
