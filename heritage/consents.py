"""Changing consents: what an edit may not do, and the log of every change.

A consent that was withdrawn or has expired is history. Bringing it back into
force by editing it would rewrite what the person agreed to and when; a
renewed agreement is a new grant (a new Consent row), and the old one stays.
Every change is written to Wagtail's audit log with who made it and why, so a
consent's History and the site-wide log answer for it.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from heritage.models import Consent, ConsentScope

CONSENT_CHANGED = "heritage.consent_changed"
SCOPE_FIELDS = [f"covers_{scope}" for scope in ConsentScope.values]


def has_lapsed(consent, on=None):
    """Whether the consent is withdrawn, or expired before the given day (today)."""
    day = on or timezone.localdate()
    return consent.withdrawn_on is not None or (
        consent.expires_on is not None and consent.expires_on < day
    )


def extending_fields(consent, new_values, on=None):
    """The fields by which ``new_values`` would bring a lapsed consent back into force.

    ``consent`` holds the stored values; ``new_values`` maps field names to the
    values an edit would give them. Empty for a consent still in force, and for
    edits that only correct a lapsed consent (who granted it, the withdrawal note).
    """
    if not has_lapsed(consent, on):
        return []
    fields = []
    if consent.withdrawn_on is not None and new_values.get("withdrawn_on", True) is None:
        fields.append("withdrawn_on")
    if consent.expires_on is not None and "expires_on" in new_values:
        new_expiry = new_values["expires_on"]
        if new_expiry is None or new_expiry > consent.expires_on:
            fields.append("expires_on")
    for name in SCOPE_FIELDS:
        if not getattr(consent, name) and new_values.get(name):
            fields.append(name)
    return fields


def log_consent_change(consent, user, reason, changed):
    """Write an edit of ``consent`` to the audit log: who, why and which fields."""
    return log(
        instance=consent,
        action=CONSENT_CHANGED,
        user=user,
        data={"reason": reason, "changed": list(changed)},
    )


class ConsentChanged(LogFormatter):
    label = _("Change consent")

    def format_message(self, log_entry):
        names = [
            str(Consent._meta.get_field(name).verbose_name)
            for name in log_entry.data.get("changed") or ()
        ]
        return _("Changed: %(fields)s. Reason: %(reason)s") % {
            "fields": ", ".join(names) or "—",
            "reason": log_entry.data.get("reason", ""),
        }
