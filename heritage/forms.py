"""The admin's form for records, and the limit on media that people's forms share.

A newcomer's first save of a record must work: the slug lives on the
promote tab, which they never open, so the title fills it as they type
(``TitleFieldPanel`` with ``SLUG_FORMATTERS``) and an empty slug is made
from the title on save; a new record's province is its section's.

The asset fields offer the officer's own team's media only. Linking
another team's asset would let an officer hide it from the public
(a restricted record hides its media, and so does a person without
consent), so the asset fields offer, and accept, only the assets the
officer may choose, plus those the object already uses (so it keeps what a
superuser attached to it).
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput

from heritage.access import groups_a_record_may_name
from heritage.concurrency import StaleRevisionRefusalMixin
from media_pipeline.models import MediaAsset
from media_pipeline.permissions import choosable_assets
from search.text import fold

ANOTHER_TEAMS_MEDIA = _("You may not use media of another team.")
ANOTHER_TEAMS_PERSON = _("You may not name a person documented by another team.")
KEPT_IN_STEP = _("Kept in step with the Vietnamese version: change it there.")
TO_REWRITE = _("Still the Vietnamese text: write it again in English.")
TITLE_NOT_TRANSLATED = _("Write the English title before publishing: this is the Vietnamese one.")


def assets_in_use(page):
    """Ids of the assets a record (as the form received it) links, shows or lists per edition."""
    ids = {link.asset_id for link in page.media_links.all()}
    ids.update(page.body_asset_ids)
    editions = page.editions.all() if hasattr(page, "editions") else ()
    for edition in editions:
        ids.update(asset.pk for asset in edition.media_assets.all())
    return ids


def usable_assets(user, in_use):
    """The assets ``user`` may attach, and those (ids ``in_use``) already attached."""
    return choosable_assets(user) | MediaAsset.objects.filter(pk__in=in_use)


def usable_people(user, in_use):
    """The people ``user`` may name on a record (their teams'), and those already named."""
    from heritage.models import Person, Team  # the models import this module

    if user.is_superuser:
        return Person.objects.all()
    return Person.objects.filter(team__in=Team.objects.editable_by(user)) | Person.objects.filter(
        pk__in=in_use
    )


def limit_to(field, queryset, refusal=ANOTHER_TEAMS_MEDIA):
    field.queryset = queryset
    field.error_messages["invalid_choice"] = refusal


def _limited(form_class, name, queryset, refusal=ANOTHER_TEAMS_MEDIA):
    """``form_class`` whose field ``name`` offers and accepts only ``queryset``."""

    class LimitedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limit_to(self.fields[name], queryset, refusal)

    LimitedForm.__name__ = form_class.__name__
    return LimitedForm


def _with_disabled(form_class, name, help_text):
    """``form_class`` whose field ``name`` shows read-only and ignores what is posted for it."""

    class ReadOnlyForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[name].disabled = True
            self.fields[name].help_text = help_text

    ReadOnlyForm.__name__ = form_class.__name__
    return ReadOnlyForm


def _slug_formatters():
    """Regex replacements that make the browser's slug what ``fold`` makes on the server.

    Wagtail's slug script drops Vietnamese vowels with tone marks and turns
    "Đ" into "dj" ("Lễ hội Đồng" -> "l-hi-djng"); these run before it.
    """
    letters = defaultdict(str)
    for code in range(0xC0, 0x1EFF + 1):
        char = chr(code)
        base = fold(char)
        if char.isalpha() and len(base) == 1 and base.isascii() and base != char:
            letters[base] += char
    return [
        *((f"[{chars}]", base) for base, chars in sorted(letters.items())),
        (r"(?<=\w)['’ʼ](?=\w)", ""),  # "H'Mông" -> "hmong", as fold does
        (r"[^\w\s-]+", " "),
        (r"^[\s-]+|[\s-]+$", ""),
        (r"[\s-]+", " "),
    ]


SLUG_FORMATTERS = _slug_formatters()


def tabs_with_errors(form):
    """The headings of the edit form's tabs that hold a field or an inline with errors."""
    wrong = {name for name in form.errors if name != NON_FIELD_ERRORS}
    wrong |= {name for name, formset in form.formsets.items() if not formset.is_valid()}
    tabs = []
    for tab in type(form.instance).get_edit_handler().children:
        options = tab.get_form_options()
        if wrong & (set(options.get("fields", [])) | set(options.get("formsets", {}))):
            tabs.append(str(tab.heading))
    return tabs


class RecordPageForm(StaleRevisionRefusalMixin, WagtailAdminPageForm):
    # The inline relations that name assets, and their asset field.
    ASSET_FIELDS = {"media_links": "asset", "editions": "media_assets"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_in_for_newcomers()
        self._mark_translation()
        if "allowed_groups" in self.fields:
            self.fields["allowed_groups"].queryset = groups_a_record_may_name()
        self.assets_in_use = assets_in_use(self.instance)
        self.allowed_assets = usable_assets(self.for_user, self.assets_in_use)
        for relation, name in self.ASSET_FIELDS.items():
            formset = self.formsets.get(relation)
            if formset is not None:
                # Before the formset builds its forms (and each new inline's empty form).
                formset.form = _limited(formset.form, name, self.allowed_assets)
        # Naming another team's informant would show them on this record.
        participants = self.formsets.get("participants")
        if participants is not None:
            named = [p.person_id for p in self.instance.participants.all()]
            people = usable_people(self.for_user, named)
            participants.form = _limited(participants.form, "person", people, ANOTHER_TEAMS_PERSON)

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            self._name_the_tabs_with_errors()
        return valid

    def _name_the_tabs_with_errors(self):
        """Say which tabs hold the errors: a newcomer never opens "Promote" on their own.

        A non-field error also makes Wagtail's message list every error with its field's label.
        """
        tabs = tabs_with_errors(self)
        if not tabs or getattr(self, "_tabs_named", False):
            return
        self._tabs_named = True
        names = ", ".join(f"“{tab}”" for tab in tabs)
        message = ngettext(
            "The form has errors on the tab %(tabs)s.",
            "The form has errors on the tabs %(tabs)s.",
            len(tabs),
        ) % {"tabs": names}
        self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
        self._errors[NON_FIELD_ERRORS].append(message)

    def _fill_in_for_newcomers(self):
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].widget = SlugInput(formatters=SLUG_FORMATTERS)
        section_province = getattr(getattr(self.parent_page, "specific", None), "province", None)
        if (
            self.instance._state.adding
            and section_province
            and "province_as_recorded" in self.fields
            and self.initial.get("province_as_recorded") is None
        ):
            self.initial["province_as_recorded"] = section_province.pk

    def _mark_translation(self):
        """On a translation: shared facts read-only, texts still in the source language marked."""
        from heritage import translation_sync

        self.translation_source = translation_sync.source_of(self.instance)
        self.untranslated = []
        if self.translation_source is None:
            return
        for name in translation_sync.SHARED_FACT_FIELDS + translation_sync.SHARED_FACT_RELATIONS:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = KEPT_IN_STEP
        media = self.formsets.get(translation_sync.MEDIA)
        if media is not None:
            # Which media, and in which order, follow the source; captions are the translator's.
            media.can_order = False
            media.rows_fixed = True
            media.max_num = len(media.queryset)
            media.form = _with_disabled(media.form, "asset", KEPT_IN_STEP)
        self.untranslated = translation_sync.untranslated_texts(
            self.instance, self.translation_source
        )
        for name in self.untranslated:
            if name in self.fields:
                self.fields[name].help_text = TO_REWRITE

    def save(self, commit=True):
        if self.translation_source is None:
            return super().save(commit)
        # What was posted for the shared facts is ignored: the latest revision's
        # stand (a sync may have written newer ones since the form was opened).
        from heritage import translation_sync

        page = super().save(commit=False)
        translation_sync.keep_shared_facts(page)
        if commit:
            page.save()
        return page

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.translation_source is not None
            and "action-publish" in self.data
            and cleaned_data.get("title")
            == self.translation_source.get_latest_revision_as_object().title
        ):
            self.add_error("title", TITLE_NOT_TRANSLATED)
        if not cleaned_data.get("slug") and cleaned_data.get("title") and self.parent_page:
            self.instance.title = cleaned_data["title"]
            cleaned_data["slug"] = self.instance.slug_from_title(self.parent_page)
        body = cleaned_data.get("body")
        if body is not None:
            wanted = set(body.stream_block.media_asset_ids(body)) - self.assets_in_use
            refused = MediaAsset.objects.filter(pk__in=wanted).exclude(
                pk__in=self.allowed_assets.values("pk")
            )
            if refused:
                titles = ", ".join(asset.title for asset in refused)
                self.add_error(
                    "body",
                    ValidationError(
                        _("You may not use media of another team: %(titles)s.") % {"titles": titles}
                    ),
                )
        return cleaned_data
