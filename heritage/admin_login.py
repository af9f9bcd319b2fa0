"""The admin's login form, its password field labelled in the officer's language."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    # Wagtail's field has no label, so Django shows its name, "Password", untranslated.
    password = forms.CharField(
        label=_("Password"),
        widget=WagtailLoginForm.base_fields["password"].widget,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail puts the field's name mid-sentence as written: "Nhập Tên đăng nhập của bạn".
        name = str(self.username_field.verbose_name).lower()
        self.fields["username"].widget.attrs["placeholder"] = _(
            "Enter your %(username_field_name)s"
        ) % {"username_field_name": name}
