"""Practitioners, informants and their consent.

A person's contact details and notes are for officers only; public pages
show a name and a role, and only while public-display consent holds.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from media_pipeline.concurrency import StaleEditRefusalForm
from media_pipeline.storage import private_storage


class PersonRole(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    INFORMANT = "informant", _("Informant")
    ELDER = "elder", _("Village elder")
    PRESTIGIOUS = "prestigious", _("Person of prestige (người có uy tín)")
    SHAMAN = "shaman", _("Shaman / ritual master")
    ARTISAN = "artisan", _("Artisan")
    MUSICIAN = "musician", _("Musician / singer")
    RESEARCHER = "researcher", _("Researcher")


class Person(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("main role"), max_length=32, choices=PersonRole.choices)
    ethnic_group = models.ForeignKey(
        "heritage.EthnicGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("ethnic group"),
    )
    team = models.ForeignKey(
        "heritage.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("team"),
        help_text=_("The province team that documented this person."),
    )
    # Officer-only personal details.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    locality = models.CharField(_("village / commune"), max_length=200, blank=True)
    contact = models.TextField(_("contact details"), blank=True)
    notes = models.TextField(_("officer notes"), blank=True)
    # Declared here, not on media: media knows nothing of people. The reverse
    # name keeps ``asset.people`` for the archive's code.
    media_assets = models.ManyToManyField(
        "media_pipeline.MediaAsset",
        blank=True,
        related_name="people",
        verbose_name=_("media they appear in"),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # Officers list and search only the people of their own teams.
        index.FilterField("team"),
    ]

    base_form_class = StaleEditRefusalForm

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def has_public_display_consent(self, on=None):
        return self.consents.valid(ConsentScope.PUBLIC_DISPLAY, on=on).exists()


class ConsentScope(models.TextChoices):
    RECORDING = "recording", _("Recording")
    PUBLIC_DISPLAY = "public_display", _("Public display")
    RESEARCH = "research", _("Research use")


class ConsentQuerySet(models.QuerySet):
    def valid(self, scope, on=None):
        """Consents in force on the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day),
            **{f"covers_{scope}": True},
            granted_on__lte=day,
            withdrawn_on__isnull=True,
        )


class Consent(models.Model):
    """A consent granted by or for a person, kept as a record of its own."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    granted_by = models.CharField(
        _("granted by"),
        max_length=200,
        help_text=_("The person themself, a family member or the community's representative."),
    )
    covers_recording = models.BooleanField(_("covers recording"), default=True)
    covers_public_display = models.BooleanField(_("covers public display"), default=False)
    covers_research = models.BooleanField(_("covers research use"), default=False)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    signed_form = models.FileField(
        _("signed form"),
        upload_to="consent-forms/%Y/",
        storage=private_storage,
        blank=True,
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    base_form_class = StaleEditRefusalForm

    class Meta:
        ordering = ["-granted_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return _("Consent of %(person)s from %(date)s") % {
            "person": self.person.name,
            "date": self.granted_on,
        }
