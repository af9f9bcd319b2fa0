"""The admin forms and views of people and consents: one team's business.

The forms offer only what the officer's teams own (their teams, their people,
media they may choose); the consent views log every change with its reason,
refuse to bring a lapsed consent back into force, and serve signed forms to
the person's team only.
"""

import os

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import snippets as snippet_views

from heritage.consents import extending_fields, log_consent_change
from heritage.forms import limit_to, usable_assets
from heritage.models import Consent, Team
from heritage.permissions import consent_policy, person_policy
from media_pipeline.concurrency import StaleEditRefusalMixin
from media_pipeline.permissions import InstancePermissionMixin


class PersonForm(StaleEditRefusalMixin, WagtailAdminModelForm):
    """Only the officer's teams, and only media they may choose (superusers: any)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        # A list of their few teams, not the chooser of every team.
        self.fields["team"].widget = forms.Select()
        self.fields["team"].queryset = Team.objects.editable_by(user)
        self.fields["team"].required = True
        # Linking someone without consent to an asset hides it from the public:
        # only the asset's own team may do that.
        in_use = self.instance.media_assets.values("pk") if self.instance.pk else []
        limit_to(self.fields["media_assets"], usable_assets(user, in_use))


class SignedFormLink:
    """What the file input shows for a stored form: its name, linked to the checked download."""

    def __init__(self, consent):
        self.url = reverse("heritage_consent_signed_form", args=[consent.pk])
        self.name = os.path.basename(consent.signed_form.name)

    def __str__(self):
        return self.name


class SignedFormInput(forms.ClearableFileInput):
    """The file input, its link going through :func:`signed_form` instead of the storage URL."""

    def __init__(self, consent, attrs=None):
        super().__init__(attrs)
        self.consent = consent

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = SignedFormLink(self.consent)
        return context


class ConsentForm(StaleEditRefusalMixin, WagtailAdminModelForm):
    """People of the officer's teams; edits give a reason, never revive a lapsed consent."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Kept in the consent's history with your name."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lapsed_consent = None  # set when the edit would bring it back into force
        user = self.for_user
        if user is not None and not user.is_superuser:
            # The people of their teams, not the chooser of everyone's informants.
            self.fields["person"].widget = forms.Select()
            self.fields["person"].queryset = person_policy.instances_user_has_any_permission_for(
                user, ["add", "change"]
            )
        if self.instance.pk:
            self.fields["signed_form"].widget = SignedFormInput(self.instance)
        else:
            del self.fields["reason"]  # a new grant is its own reason

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            stored = Consent.objects.get(pk=self.instance.pk)
            for name in extending_fields(stored, cleaned_data):
                self.lapsed_consent = stored
                self.add_error(
                    name,
                    gettext(
                        "This consent is withdrawn or expired: it cannot be extended. "
                        "Record a new grant instead."
                    ),
                )
        return cleaned_data


class ConsentCreateView(snippet_views.CreateView):
    def get_initial(self):
        """``?person=<id>``: the person a new grant is for (the link from a refused extension)."""
        initial = super().get_initial()
        person = self.request.GET.get("person", "")
        if person.isdigit():
            initial["person"] = int(person)
        return initial


class ConsentEditView(InstancePermissionMixin, snippet_views.EditView):
    instance_action = "change"

    def save_instance(self):
        changed = [name for name in self.form.changed_data if name != "reason"]
        with transaction.atomic():
            action = self.action_class(
                self.form.instance, user=self.request.user, form=self.form, log_action=False
            )
            instance = action.execute(skip_permission_checks=True)
            log_consent_change(
                instance, self.request.user, self.form.cleaned_data["reason"], changed
            )
        return instance

    def form_invalid(self, form):
        if form.lapsed_consent is not None:
            person = form.lapsed_consent.person
            url = reverse("wagtailsnippets_heritage_consent:add")
            messages.warning(
                self.request,
                format_html(
                    '{} <a href="{}?person={}">{}</a>',
                    gettext(
                        "A renewed or extended consent is a new grant; this one stays as history."
                    ),
                    url,
                    person.pk,
                    gettext("Add a consent for %(person)s") % {"person": person.name},
                ),
            )
        return super().form_invalid(form)


def signed_form(request, pk):
    """A consent's signed form, for the person's team only (the file is in private storage)."""
    consent = get_object_or_404(Consent, pk=pk)
    if not consent_policy.user_has_permission_for_instance(request.user, "view", consent):
        raise PermissionDenied
    if not consent.signed_form:
        raise Http404
    return FileResponse(
        consent.signed_form.open("rb"),
        as_attachment=True,
        filename=os.path.basename(consent.signed_form.name),
    )
