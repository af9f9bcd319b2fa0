"""Refuse saving, submitting or publishing a record from a form that loaded an older revision.

Wagtail refuses only autosaves from such a form (``EditView.is_out_of_date``);
a click on "Save draft", "Submit" or "Publish" would silently overwrite the
newer revision. The record form applies the same rule to every action, and
names what the newer revision changed, through Wagtail's revision comparison.
"""

from media_pipeline.concurrency import stale_edit_error


def loaded_revision_id(data):
    """The id of the revision the form carries on from: its autosave's, else the one it loaded."""
    loaded = data.get("overwrite_revision_id") or data.get("loaded_revision_id") or ""
    return int(loaded) if loaded.isdigit() else None


def newer_revision_by_someone_else(page, data, user):
    """The latest revision another user saved after the form loaded its own, else None.

    Wagtail's rule (``EditView.is_out_of_date``) with one difference: the
    officer's own revisions do not count, so a click on "Save draft" while the
    form's autosave is still under way is not refused. The loaded revision
    itself counts if it was rewritten in place (by its author's autosave)
    since the form loaded it.
    """
    loaded_id = loaded_revision_id(data)
    if loaded_id is None:
        return None
    others = page.revisions.filter(pk__gte=loaded_id).exclude(user=user).order_by("-pk")
    for revision in others:
        rewritten = revision.created_at.isoformat() != data.get("loaded_revision_created_at")
        if revision.pk != loaded_id or rewritten:
            return revision
    return None


def changed_field_labels(page, older, newer):
    """Labels of the edit form's fields (and inline panels) that differ between two revisions."""
    comparators = (
        type(page)
        .get_edit_handler()
        .get_bound_panel(instance=page, request=None, form=None)
        .get_comparison()
    )
    older_page, newer_page = older.as_object(), newer.as_object()
    labels = []
    for comparator in comparators:
        comparison = comparator(older_page, newer_page)
        if comparison.has_changed():
            labels.append(str(comparison.field_label()))
    return labels


class StaleRevisionRefusalMixin:
    """For a page form: a save from a stale form is refused, keeping what was typed."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data  # creating is never refused
        newer = newer_revision_by_someone_else(self.instance, self.data, self.for_user)
        if newer is None:
            return cleaned_data
        older = self.instance.revisions.filter(pk=loaded_revision_id(self.data)).first()
        latest = self.instance.revisions.order_by("-created_at", "-pk").first()
        # A revision rewritten in place no longer holds what the form loaded.
        labels = changed_field_labels(self.instance, older, latest) if older != newer else []
        self.add_error(None, stale_edit_error(self.instance, newer.user, newer.created_at, labels))
        if older is not None:
            # The re-rendered form keeps naming the revision it was loaded from,
            # so saving it again is refused again until the officer reloads.
            self.instance.latest_revision = older
        return cleaned_data

    def get_field_updates_for_resave(self):
        # After an autosave the open form carries on from the revision it just
        # wrote; Wagtail's script copies these values into the form's inputs.
        updates = list(super().get_field_updates_for_resave())
        revision = self.instance.latest_revision
        if revision is not None:
            updates.append(("loaded_revision_id", str(revision.pk)))
            updates.append(("loaded_revision_created_at", revision.created_at.isoformat()))
        return updates
