"""Edit-form panels of our own."""

from django.urls import reverse
from wagtail.admin.panels import Panel


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
