"""Sending drafts to their section's review workflow, several at once."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState


@dataclass
class ReviewSubmission:
    """What ``submit_for_review`` did: the pages sent, and the others with the reason."""

    sent: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (page, reason)


def submit_for_review(pages, user):
    """Start each page's workflow as ``user``, as the edit view's "Submit for review" does.

    A page is refused when the user may not edit it, it has no draft, it is
    already in review, or its section has no workflow.
    """
    result = ReviewSubmission()
    for page in pages:
        permissions = page.permissions_for_user(user)
        workflow = page.get_workflow()
        if not permissions.can_edit():
            reason = _("you may not edit it")
        elif not page.has_unpublished_changes:
            reason = _("it has no draft to review")
        elif page.workflow_in_progress:
            reason = _("it is already awaiting review")
        elif workflow is None or not permissions.can_submit_for_moderation():
            reason = _("it cannot be submitted for review")
        else:
            workflow.start(page, user)
            result.sent.append(page)
            continue
        result.refused.append((page, reason))
    return result


def translation_drafts(pages):
    """The drafts of these pages in other locales that are not awaiting review yet."""
    drafts = (
        Page.objects.filter(
            translation_key__in={page.translation_key for page in pages},
            has_unpublished_changes=True,
        )
        .exclude(pk__in=[page.pk for page in pages])
        .specific()
    )
    return [page for page in drafts if not page.workflow_in_progress]


def count_in_review(page_ids):
    """How many of these pages are awaiting review (one query)."""
    return WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in page_ids],
    ).count()
