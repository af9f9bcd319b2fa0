"""Admin side of the review of both languages: the menu item, its view and the approval message.

Each decision is told in one message: Wagtail's own ("submitted",
"updated") is replaced by the archive's, which says what happened to both
languages.
"""

from django.contrib import messages as django_messages
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
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
WAGTAIL_SUBMIT = "action-submit"


def say_instead(request, wagtail_text, message, buttons=None):
    """Show ``message`` (a success) in place of Wagtail's message saying ``wagtail_text``.

    Reading the request's messages marks them as shown; the others are
    queued again, in their order.
    """
    wagtail_text = conditional_escape(wagtail_text)
    kept = [m for m in django_messages.get_messages(request) if wagtail_text not in m.message]
    for kept_message in kept:
        django_messages.add_message(
            request, kept_message.level, kept_message.message, extra_tags=kept_message.extra_tags
        )
    messages.success(request, message, buttons=buttons)


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
        translations = review.translation_drafts([self.page])
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
        if translations:
            say_instead(
                self.request,
                # Wagtail's message, as its submit action words it.
                gettext("Page '%(page_title)s' has been submitted for moderation.")
                % {"page_title": self.page.get_admin_display_title()},
                gettext(
                    "“%(title)s” and its translation %(translations)s "
                    "have been submitted for review."
                )
                % {
                    "title": self.page.get_admin_display_title(),
                    "translations": ", ".join(
                        gettext("“%(title)s”") % {"title": t.get_latest_revision_as_object().title}
                        for t in translations
                    ),
                },
                buttons=[self.get_view_draft_message_button(), self.get_edit_message_button()],
            )
        return response


@hooks.register("register_page_action_menu_item")
def submit_both_languages_menu_item():
    return SubmitBothLanguagesMenuItem(order=65)


@hooks.register("construct_page_action_menu")
def one_submit_for_both_languages(menu_items, request, context):
    """Where "Submit both languages" is offered, Wagtail's submit of one language is not."""
    if any(item.name == SUBMIT_BOTH for item in menu_items):
        menu_items[:] = [item for item in menu_items if item.name != WAGTAIL_SUBMIT]


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
        say_instead(
            request,
            # Wagtail's message, as its edit view words it.
            gettext("Page '%(page_title)s' has been updated.")
            % {"page_title": page.get_admin_display_title()},
            _approved_message(page),
            buttons=[view_page],
        )


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
