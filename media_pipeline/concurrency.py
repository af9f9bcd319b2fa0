"""Refuse a save from an edit form that loaded an older version of the object.

Two officers can open the same object; without a check the second save
silently undoes the first. Models with revisions (records) compare revisions
(``heritage.concurrency``); models without them (people, consents, media
items) carry a signed digest of the values the form loaded, and compare it
with the row at save time. Both refuse with the same message, naming who saved
the newer version, when, and which fields it changed.

Media owns this module because the archive's forms and its own both use it,
and media imports nothing of the archive.
"""

import hashlib

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.utils import get_user_display_name
from wagtail.models import ModelLogEntry

LOADED_VALUES_FIELD = "loaded_values"


def stale_edit_error(obj, user, at, field_labels):
    """The refusal shown on the form: who saved the newer version, when, what changed."""
    kind = obj._meta.verbose_name
    if user is not None and at is not None:
        who = gettext("This %(object)s was saved by %(user)s at %(time)s, after you opened it.") % {
            "object": kind,
            "user": get_user_display_name(user),
            "time": date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"),
        }
    else:
        who = gettext("This %(object)s was changed after you opened it.") % {"object": kind}
    sentences = [capfirst(who)]
    if field_labels:
        sentences.append(
            gettext("Fields changed: %(fields)s.") % {"fields": ", ".join(field_labels)}
        )
    sentences.append(gettext("Copy your changes, reload the page and save again."))
    return ValidationError(" ".join(sentences), code="stale_edit")


def _value_digest(instance, field):
    if field.many_to_many:
        value = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    else:
        value = field.value_to_string(instance)
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


class LoadedValuesField(forms.CharField):
    """The hidden token: bookkeeping, never a change the officer made."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class StaleEditRefusalMixin:
    """For model forms of objects without revisions: refuse a save from a stale form.

    The form renders a hidden field with a signed digest of every model field it
    edits, as loaded; on save, the digest is compared with the row in the
    database. Combine it with any model form, before the form class:
    ``class PersonForm(StaleEditRefusalMixin, WagtailAdminModelForm)``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return  # creating is never refused
        self.fields[LOADED_VALUES_FIELD] = LoadedValuesField(initial=self._loaded_values_token())

    @property
    def _signing_salt(self):
        return f"{__name__}.{self._meta.model._meta.label}"

    def _edited_model_fields(self):
        model_fields = []
        for name in self.fields:
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete:
                model_fields.append(field)
        return model_fields

    def _digests(self, instance):
        return {field.name: _value_digest(instance, field) for field in self._edited_model_fields()}

    def _loaded_values_token(self):
        return signing.dumps(
            {
                "pk": str(self.instance.pk),
                "at": timezone.now().isoformat(),
                "values": self._digests(self.instance),
            },
            salt=self._signing_salt,
        )

    def clean(self):
        cleaned_data = super().clean()
        # A form that never loaded the values (one not rendered by the admin)
        # has nothing to compare.
        token = self.data.get(self.add_prefix(LOADED_VALUES_FIELD)) if self.instance.pk else None
        if token:
            self._refuse_if_changed_since_loaded(token)
        return cleaned_data

    def _refuse_if_changed_since_loaded(self, token):
        try:
            loaded = signing.loads(token, salt=self._signing_salt)
        except signing.BadSignature:
            loaded = None
        if not loaded or loaded.get("pk") != str(self.instance.pk):
            raise ValidationError(
                gettext("This form cannot be checked against the saved version; reload the page."),
                code="stale_edit",
            )
        current = self._meta.model._default_manager.get(pk=self.instance.pk)
        loaded_values = loaded.get("values", {})
        # Only fields the token covers: a form combined with this mixin may add
        # fields after the token was made.
        changed = [
            str(capfirst(field.verbose_name))
            for field in self._edited_model_fields()
            if field.name in loaded_values
            and loaded_values[field.name] != _value_digest(current, field)
        ]
        if not changed:
            return
        last_edit = (
            ModelLogEntry.objects.for_instance(current)
            .filter(action="wagtail.edit", timestamp__gt=parse_datetime(loaded["at"]))
            .select_related("user")
            .order_by("-timestamp", "-pk")
            .first()
        )
        raise stale_edit_error(
            current,
            last_edit.user if last_edit else None,
            last_edit.timestamp if last_edit else None,
            changed,
        )


class StaleEditRefusalForm(StaleEditRefusalMixin, WagtailAdminModelForm):
    """The admin form of snippets without revisions, refusing saves from stale forms."""
