"""Admin side of the review of both languages: the menu item, its view and the approval message."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.pages.edit import EditView

from heritage import review
from heritage.models import RecordPage

SUBMIT_BOTH = "action-submit-both"


class SubmitBothLanguagesMenuItem(ActionMenuItem):
    """“Submit both languages”: posts the edit form to :class:`SubmitBothLanguagesView`."""

    name = SUBMIT_BOTH
    label = _("Submit both languages for review")
    icon_name = "resubmit"
    template_name = "heritage/admin/submit_both_menu_item.html"

    def is_shown(self, context):
        if context["view"] != "edit" or context["locked_for_user"]:
            return False
        page = context["page"]
        return (
            isinstance(page.specific, RecordPage)
            and self.get_user_page_permissions_tester(context).can_submit_for_moderation()
            and page.get_translations().exists()
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["formaction"] = reverse("heritage_submit_both", args=[context["page"].pk])
        return context


class SubmitBothLanguagesView(EditView):
    """Wagtail's edit view whose one action is: save, then submit this record and its translation.

    The form is validated as for Wagtail's own “Submit”; if the translation
    cannot be submitted, the record is saved as a draft and nothing is submitted.
    """

    @cached_property
    def action_name_and_method(self):
        if self.page_perms.can_submit_for_moderation():
            return ("submit", self.submit_both_action)
        return ("save", self.save_action)

    def submit_both_action(self):
        translations = review.translations_to_submit(self.page)
        refusals = [
            refusal
            for refusal in (review.submission_refusal(t, self.request.user) for t in translations)
            if refusal
        ]
        if refusals:
            for refusal in refusals:
                messages.error(self.request, refusal)
            return self.save_action()
        response = self.submit_action()
        for translation in translations:
            review.submit(translation, self.request.user)
            messages.success(
                self.request,
                gettext("Its translation “%(title)s” has been submitted for review too.")
                % {"title": translation.get_latest_revision_as_object().title},
            )
        return response


@hooks.register("register_page_action_menu_item")
def submit_both_languages_menu_item():
    return SubmitBothLanguagesMenuItem(order=65)


@hooks.register("register_admin_urls")
def submit_both_languages_url():
    return [
        path(
            "pages/<int:page_id>/edit/submit-both/",
            SubmitBothLanguagesView.as_view(),
            name="heritage_submit_both",
        )
    ]


def _approved_message(page):
    """What the reviewer reads after approving ``page``: which languages went live."""
    if page.get_translations().live().exists():
        text = gettext("Approved and published “%(title)s” (both Vietnamese and English).")
    else:
        text = gettext("Approved and published “%(title)s”.")
    return text % {"title": page.title}


@hooks.register("after_edit_page")
def approval_message(request, page):
    if not (
        request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    ):
        return
    page.refresh_from_db()
    if page.live and page.current_workflow_state is None:
        view_page = messages.button(page.get_url(request), gettext("View page"))
        messages.success(request, _approved_message(page), buttons=[view_page])


class RecordsAwaitingReviewPanel(Component):
    """The dashboard's "Awaiting your review", listing a record once with its languages."""

    name = "workflow_objects_to_moderate"
    template_name = "heritage/admin/records_awaiting_review.html"
    order = 220

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"request": request, "records": review.records_awaiting_review(request.user)}


@hooks.register("construct_homepage_panels")
def list_each_record_once(request, panels):
    panels[:] = [
        RecordsAwaitingReviewPanel()
        if getattr(panel, "name", None) == RecordsAwaitingReviewPanel.name
        else panel
        for panel in panels
    ]
