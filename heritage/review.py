"""Review of records: both languages submitted, approved or sent back together; many at once.

A record and its translation are two pages (linked by ``translation_key``),
each with its own workflow state in the team's workflow. An officer submits
both in one action; a reviewer's decision on one is applied to the other,
by the same reviewer, so neither language goes live or back to the editor
alone.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.admin.models import EditingSession
from wagtail.models import Page, TaskState, WorkflowState

from heritage.models import RecordPage


def submission_refusal(translation, user):
    """Why ``translation`` cannot be submitted by ``user`` now, else None.

    A lock means its holder has not finished; an open editing session with
    unsaved changes means someone is typing over the revision that would be
    reviewed.
    """
    title = translation.get_latest_revision_as_object().title
    lock = translation.get_lock()
    if lock and lock.for_user(user):
        return _("The translation “%(title)s” is locked; it was not submitted.") % {"title": title}
    editing = (
        EditingSession.objects.available()
        .filter(
            content_type=translation.content_type.id,
            object_id=str(translation.pk),
            is_editing=True,
        )
        .exclude(user=user)
        .exists()
    )
    if editing:
        return _(
            "Someone is editing the translation “%(title)s” and has not saved; "
            "it was not submitted."
        ) % {"title": title}
    return None


def submit(page, user):
    """Send ``page`` (its latest revision) to its workflow, resuming one that asked for changes."""
    state = page.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        page.get_workflow().start(page, user)


def _siblings_in_review(workflow_state):
    page = workflow_state.content_object
    if not isinstance(page.specific, RecordPage):
        return []
    states = []
    for translation in page.get_translations():
        state = translation.current_workflow_state
        if state and state.status == WorkflowState.STATUS_IN_PROGRESS:
            states.append(state)
    return states


def _act_on_siblings(workflow_state, user, action, comment):
    for state in _siblings_in_review(workflow_state):
        task_state = state.current_task_state
        task = task_state.task.specific
        page = state.content_object
        if action in [name for name, _label, _modal in task.get_actions(page, user)]:
            task.on_action(task_state, user, action, comment=comment)


def approve_translations(sender, instance, user, **kwargs):
    """On a record's approval, approve its translations awaiting review, as the same reviewer."""
    _act_on_siblings(instance, user, "approve", _("Approved together with its translation."))


def reject_translations(sender, instance, user, **kwargs):
    """On a request for changes, send the record's translations under review back too."""
    _act_on_siblings(
        instance, user, "reject", _("Changes requested together with its translation.")
    )


def records_awaiting_review(user):
    """What ``user`` may review, one entry per record with all its languages under review.

    Each entry: ``title``, ``submitted_by``, ``started_at`` (the earliest
    language's) and ``languages``, a list of ``(page id, locale id)`` in the
    order submitted.
    """
    states = list(
        TaskState.objects.reviewable_by(user)
        .select_related("revision__user", "workflow_state")
        .order_by("started_at")
    )
    page_ids = {int(s.workflow_state.object_id) for s in states}
    pages = Page.objects.filter(pk__in=page_ids).only("pk", "translation_key", "locale_id")
    pages = {page.pk: page for page in pages}
    records = {}
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        entry = records.setdefault(
            page.translation_key,
            {
                "title": state.revision.object_str,
                "submitted_by": state.revision.user,
                "started_at": state.started_at,
                "languages": [],
            },
        )
        entry["languages"].append((page.pk, page.locale_id))
    return sorted(records.values(), key=lambda entry: entry["started_at"], reverse=True)


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
            submit(page, user)
            result.sent.append(page)
            continue
        result.refused.append((page, reason))
    return result


def translation_drafts(pages):
    """The drafts of these pages in their other languages that are not awaiting review yet.

    What goes to review with a record: by "Submit both languages" and by
    the import's "Submit all imported drafts".
    """
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
