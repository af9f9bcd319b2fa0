"""Edit-form panels of our own."""

from django.forms.formsets import ORDERING_FIELD_NAME
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel, Panel, get_form_for_model


class InlineRowForm(WagtailAdminModelForm):
    """A row of an inline panel."""

    def has_changed(self):
        # Wagtail numbers a row (its ORDER field) the moment the officer adds
        # it, so Django would validate a row whose media or person is still to
        # be chosen, and autosave would stop on "this field is required".
        # A new row counts once something is typed or chosen in it.
        if self.instance.pk is None:
            return any(name != ORDERING_FIELD_NAME for name in self.changed_data)
        return super().has_changed()

    def full_clean(self):
        super().full_clean()
        # A row left out has no cleaned data, yet Wagtail sorts the rows by their ORDER in it.
        if hasattr(self, "cleaned_data") and ORDERING_FIELD_NAME in self.fields:
            self.cleaned_data.setdefault(ORDERING_FIELD_NAME, None)


class RowsPanel(InlinePanel):
    """Wagtail's InlinePanel whose newly added, still empty rows are left out.

    A formset marked ``rows_fixed`` (a translation's media, which follow the
    source language) offers no delete button: a deletion there would be ignored.
    """

    class BoundPanel(InlinePanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows_fixed"] = getattr(self.formset, "rows_fixed", False)
            return context

    def get_form_options(self):
        options = super().get_form_options()
        deferred = self.child_edit_handler.get_form_options().get("defer_required_on_fields")
        options["formsets"][self.relation_name]["form"] = get_form_for_model(
            self.db_field.related_model,
            form_class=InlineRowForm,
            **({"defer_required_on_fields": deferred} if deferred else {}),
        )
        return options


class TranslationNotePanel(Panel):
    """On a translation: which facts follow the source language, and which texts to rewrite.

    Shown only when the form is a translation's (``RecordPageForm.translation_source``).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "heritage/admin/translation_note.html"

        @property
        def source(self):
            return getattr(self.form, "translation_source", None)

        def is_shown(self):
            return self.source is not None

        def get_context_data(self, parent_context=None):
            from heritage import translation_sync  # it reads the import's fields, which need models

            context = super().get_context_data(parent_context)
            labels = {name: self.form.fields[name].label for name in self.form.untranslated}
            context.update(
                source_edit_url=reverse("wagtailadmin_pages:edit", args=[self.source.pk]),
                source_language=translation_sync.language_name(self.source.locale.language_code),
                untranslated=[labels[name] for name in self.form.untranslated],
            )
            return context
