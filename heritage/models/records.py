"""Festival and custom records: the archive's core page types."""

import secrets

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from heritage import sensitivity
from heritage.access import Access, Audience, user_is_officer
from heritage.blocks import RecordBodyBlock
from heritage.display import lunar_date_label, solar_date_label, years_label, zodiac_day_label
from heritage.forms import RecordPageForm
from heritage.panels import RowsPanel, TranslationNotePanel
from heritage.widgets import EthnicGroupCheckboxes
from search.text import fold

RECORD_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, no look-alikes


# A record ID names files and URLs of exports and reports: lower-case letters,
# digits, ".", "_" and "-", starting with a letter or digit, at most 64, never "..".
RECORD_ID_PATTERN = r"^(?!.*\.\.)[a-z0-9][a-z0-9._-]{0,63}\Z"
validate_record_id = RegexValidator(
    RECORD_ID_PATTERN,
    _(
        "A record ID has 1 to 64 lower-case letters, digits, '.', '_' or '-', starts with "
        "a letter or digit and has no '..'."
    ),
    code="invalid_record_id",
)


def new_record_id():
    return "vh-" + "".join(secrets.choice(RECORD_ID_ALPHABET) for _ in range(8))


class Licence(models.TextChoices):
    """Licences, stored as their canonical URIs."""

    CC_BY = "https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"
    CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/", "CC BY-SA 4.0"
    CC_BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC 4.0"
    IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/", _("In Copyright")


LICENCE_CODES = {
    "CC-BY-4.0": Licence.CC_BY,
    "CC-BY-SA-4.0": Licence.CC_BY_SA,
    "CC-BY-NC-4.0": Licence.CC_BY_NC,
    "InC": Licence.IN_COPYRIGHT,
}


class IchDomain(models.TextChoices):
    """The five domains of the 2003 UNESCO Convention."""

    ORAL_TRADITIONS = "oral_traditions", _("Oral traditions and expressions")
    PERFORMING_ARTS = "performing_arts", _("Performing arts")
    SOCIAL_PRACTICES = "social_practices", _("Social practices, rituals and festive events")
    NATURE_KNOWLEDGE = (
        "nature_knowledge",
        _("Knowledge and practices about nature and the universe"),
    )
    CRAFTSMANSHIP = "craftsmanship", _("Traditional craftsmanship")


class Recurrence(models.TextChoices):
    ANNUAL = "annual", _("Every year")
    PERIODIC = "periodic", _("Every N years")
    OCCASIONAL = "occasional", _("Occasionally (on an occasion, not on a calendar)")


class TimingKind(models.TextChoices):
    """How a record's date is set, and so whether the calendar can compute it."""

    LUNAR = "lunar", _("Lunar calendar date")
    SOLAR = "solar", _("Solar calendar date")
    ZODIAC_DAY = "zodiac_day", _("Zodiac day of a lunar month")
    OTHER_CALENDAR = "other_calendar", _("Another calendar (Chăm, Khmer …)")
    ANNOUNCED = "announced", _("Date announced each year")

    @classmethod
    def for_dates(cls, lunar_month, solar_month):
        """The kind a record without one takes from its dates: an older sheet's rows."""
        if lunar_month:
            return cls.LUNAR
        if solar_month:
            return cls.SOLAR
        return cls.ANNOUNCED


class EarthlyBranch(models.TextChoices):
    """The twelve earthly branches (con giáp) that name days, in their order from Tý."""

    TY = "ty", _("Tý (Rat)")
    SUU = "suu", _("Sửu (Ox)")
    DAN = "dan", _("Dần (Tiger)")
    MAO = "mao", _("Mão (Cat)")
    THIN = "thin", _("Thìn (Dragon)")
    TI = "ti", _("Tỵ (Snake)")
    NGO = "ngo", _("Ngọ (Horse)")
    MUI = "mui", _("Mùi (Goat)")
    THAN = "than", _("Thân (Monkey)")
    DAU = "dau", _("Dậu (Rooster)")
    TUAT = "tuat", _("Tuất (Dog)")
    HOI = "hoi", _("Hợi (Pig)")

    @property
    def index(self):
        """0 for Tý to 11 for Hợi, as :func:`heritage.lunar_calendar.day_branch` counts."""
        return list(EarthlyBranch).index(self)


class CustomType(models.TextChoices):
    RITUAL = "ritual", _("Ritual")
    LIFE_CYCLE = "life_cycle", _("Life-cycle ceremony")
    CRAFT = "craft", _("Craft")
    MUSIC = "music", _("Music and song")
    ORAL = "oral", _("Oral tradition")
    OTHER = "other", _("Other custom")


class CoordinatePrecision(models.TextChoices):
    """How precisely visitors see where a record happens (``heritage.geo.public_coordinates``)."""

    EXACT = "exact", _("Exact point")
    COMMUNE = "commune", _("Commune (rounded to about 1 km)")
    PROVINCE = "province", _("Province (its centre only)")


class RecordQuerySet(PageQuerySet):
    def with_custom_type(self):
        """Plain records that know their custom's type (``custom_type_code``), for
        the sacred-site rule without loading each specific page."""
        return self.annotate(custom_type_code=models.F("custompage__custom_type"))

    def visible_to(self, user_or_audience):
        """Live records a user (or an :class:`~heritage.access.Audience`) may see:
        the archive's one access rule, in the ORM."""
        audience = Audience.of(user_or_audience)
        records = self.live()
        if audience.is_officer:
            return records
        allowed = Q(access=Access.PUBLIC)
        if audience.group_ids:
            shared = RecordPage.allowed_groups.through.objects.filter(
                group_id__in=sorted(audience.group_ids)
            )
            allowed |= Q(pk__in=shared.values("recordpage_id"))
        return records.filter(allowed)


RecordManager = PageManager.from_queryset(RecordQuerySet)


class RecordTag(TaggedItemBase):
    content_object = ParentalKey(
        "heritage.RecordPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class RecordPage(Page):
    """What a festival and a custom share: identity, people, place, time, rights, access."""

    record_id = models.CharField(
        _("record ID"),
        max_length=64,
        db_index=True,
        blank=True,
        validators=[validate_record_id],
        help_text=_("Stable identifier shared by the record and its translations."),
    )
    # record_id + locale, so the database itself keeps record_id unique per
    # locale; left out of copies so copy-for-translation gets a fresh one.
    record_key = models.CharField(max_length=80, unique=True, null=True, editable=False)
    native_name = models.CharField(
        _("native name"),
        max_length=255,
        blank=True,
        help_text=_("The name in the community's own language, e.g. 'Pơ thi', 'Ok Om Bok'."),
    )
    ethnic_groups = ParentalManyToManyField(
        "heritage.EthnicGroup", related_name="records", verbose_name=_("ethnic groups")
    )
    province_as_recorded = models.ForeignKey(
        "heritage.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province (as recorded)"),
        help_text=_("The province named at the time of recording, current or former."),
    )
    province = models.ForeignKey(
        "heritage.Province",
        on_delete=models.PROTECT,
        related_name="records",
        editable=False,
        verbose_name=_("province (current unit)"),
    )
    locality = models.CharField(_("commune / village"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinate_precision = models.CharField(
        _("coordinate precision"),
        max_length=16,
        choices=CoordinatePrecision.choices,
        default=CoordinatePrecision.COMMUNE,
        help_text=_(
            "How precisely visitors see the place. Never exact for a restricted record "
            "or a sacred site (a record with a sensitivity warning, or a ritual)."
        ),
    )

    lunar_month = models.PositiveSmallIntegerField(
        _("lunar month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    lunar_day = models.PositiveSmallIntegerField(
        _("lunar day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    lunar_leap = models.BooleanField(_("leap month"), default=False)
    solar_month = models.PositiveSmallIntegerField(
        _("solar month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    solar_day = models.PositiveSmallIntegerField(
        _("solar day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    timing_kind = models.CharField(
        _("how the date is set"),
        max_length=16,
        choices=TimingKind.choices,
        default=TimingKind.LUNAR,
        help_text=_(
            "The festival calendar computes lunar, solar and zodiac-day dates; a date set "
            "by another calendar or announced each year is shown as announced, with the "
            "dates of the documented editions."
        ),
    )
    zodiac_branch = models.CharField(
        _("zodiac day"),
        max_length=8,
        choices=EarthlyBranch.choices,
        blank=True,
        help_text=_(
            "For a festival on a zodiac day, e.g. Thìn for “ngày Thìn tháng Giêng”: "
            "the first such day of the lunar month."
        ),
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.ANNUAL
    )
    recurrence_years = models.PositiveSmallIntegerField(
        _("every N years"), null=True, blank=True, validators=[MinValueValidator(2)]
    )
    reference_year = models.PositiveSmallIntegerField(
        _("a year it was held"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2200)],
        help_text=_(
            "For a festival held every N years: one year it was held (the lunar year for "
            "a lunar date), from which the calendar counts."
        ),
    )
    season = models.CharField(_("season"), max_length=255, blank=True)

    ich_domain = models.CharField(
        _("UNESCO domain"), max_length=32, choices=IchDomain.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(RecordBodyBlock(), blank=True, verbose_name=_("body"))
    keywords = ClusterTaggableManager(through=RecordTag, blank=True, verbose_name=_("keywords"))

    recorded_by = models.CharField(_("recorded by"), max_length=255, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    survey_reference = models.CharField(_("field-survey reference"), max_length=255, blank=True)

    licence = models.CharField(
        _("licence"), max_length=64, choices=Licence.choices, default=Licence.CC_BY
    )
    rights_holder = models.CharField(_("rights holder"), max_length=255, blank=True)

    access = models.CharField(
        _("access"), max_length=16, choices=Access.choices, default=Access.PUBLIC
    )
    allowed_groups = ParentalManyToManyField(
        "auth.Group",
        blank=True,
        related_name="+",
        verbose_name=_("groups allowed to see it"),
        help_text=_("Only for restricted records: community groups who may see it."),
    )
    sensitivity_warning = models.TextField(
        _("sensitivity warning"),
        blank=True,
        help_text=_(
            "Shown before the record, to be acknowledged by visitors "
            "(e.g. images of the deceased, sacred objects)."
        ),
    )

    objects = RecordManager()

    base_form_class = RecordPageForm
    is_creatable = False
    exclude_fields_in_copy = ["record_key"]
    parent_page_types = ["heritage.ProvinceIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("native_name", boost=3),
        index.AutocompleteField("native_name"),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("caption_text"),
        index.SearchField("season"),
        index.SearchField("locality"),
        index.RelatedFields(
            "ethnic_groups",
            [
                index.SearchField("name_vi"),
                index.SearchField("name_en"),
                index.SearchField("other_names"),
            ],
        ),
        index.RelatedFields(
            "province", [index.SearchField("name_vi"), index.SearchField("name_en")]
        ),
        index.RelatedFields(
            "province_as_recorded", [index.SearchField("name_vi"), index.SearchField("name_en")]
        ),
        index.RelatedFields("keywords", [index.SearchField("name")]),
        index.FilterField("access"),
        index.FilterField("province"),
        index.FilterField("lunar_month"),
        index.FilterField("ich_domain"),
        index.FilterField("record_id"),
    ]

    identity_panels = [
        TranslationNotePanel(heading=_("Translation")),
        TitleFieldPanel("title"),
        FieldPanel("native_name"),
        FieldPanel("record_id", read_only=True),
        # A draft (and its autosave) may wait for the groups; review may not.
        FieldPanel("ethnic_groups", widget=EthnicGroupCheckboxes, required_on_save=False),
        FieldPanel("ich_domain"),
        FieldPanel("summary"),
    ]
    place_time_panels = [
        MultiFieldPanel(
            [
                FieldPanel("province_as_recorded"),
                FieldPanel("locality"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("coordinate_precision"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("timing_kind"),
                FieldRowPanel(
                    [FieldPanel("lunar_month"), FieldPanel("lunar_day"), FieldPanel("lunar_leap")]
                ),
                FieldPanel("zodiac_branch"),
                FieldRowPanel([FieldPanel("solar_month"), FieldPanel("solar_day")]),
                FieldRowPanel(
                    [
                        FieldPanel("recurrence"),
                        FieldPanel("recurrence_years"),
                        FieldPanel("reference_year"),
                    ]
                ),
                FieldPanel("season"),
            ],
            heading=_("Timing"),
        ),
    ]
    provenance_panels = [
        MultiFieldPanel(
            [
                FieldPanel("recorded_by"),
                FieldPanel("recorded_on"),
                FieldPanel("survey_reference"),
            ],
            heading=_("Provenance"),
        ),
        RowsPanel("sources", label=_("Sources and bibliography")),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel("rights_holder")], heading=_("Rights")),
        MultiFieldPanel(
            [
                FieldPanel("access"),
                FieldPanel("allowed_groups"),
                FieldPanel("sensitivity_warning"),
            ],
            heading=_("Access"),
        ),
    ]
    content_panels = (
        identity_panels
        + place_time_panels
        + [
            FieldPanel("body"),
            RowsPanel("media_links", label=_("Media")),
            RowsPanel("participants", label=_("People")),
            FieldPanel("keywords"),
        ]
        + provenance_panels
    )

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self):
        return self.title

    @property
    def kind(self):
        return self.specific_class._meta.model_name.removesuffix("page")

    @property
    def is_restricted(self):
        return self.access == Access.RESTRICTED

    @property
    def is_sacred_site(self):
        """A place visitors must not find to the metre: one that carries a
        sensitivity warning (sacred objects, the deceased), or a ritual's."""
        custom_type = getattr(self, "custom_type", None) or getattr(self, "custom_type_code", None)
        ritual = custom_type == CustomType.RITUAL
        return ritual or bool(self.sensitivity_warning.strip())

    @property
    def may_show_exact_location(self):
        return not self.is_restricted and not self.is_sacred_site

    # --- Display helpers for the public templates --------------------------

    @property
    def kind_label(self):
        """ "Festival", or the type of custom ("Ritual", "Craft", ...)."""
        if hasattr(self, "custom_type"):
            return self.get_custom_type_display()
        return _("Festival") if self.kind == "festival" else _("Custom")

    @property
    def lunar_date_label(self):
        return lunar_date_label(self.lunar_month, self.lunar_day, self.lunar_leap)

    @property
    def solar_date_label(self):
        return solar_date_label(self.solar_month, self.solar_day)

    @property
    def zodiac_day_label(self):
        if not (self.zodiac_branch and self.lunar_month):
            return ""
        return zodiac_day_label(
            EarthlyBranch(self.zodiac_branch).index, self.lunar_month, self.lunar_leap
        )

    @property
    def has_announced_date(self):
        """Whether no calendar here computes its date: it is announced each year."""
        return self.timing_kind in (TimingKind.OTHER_CALENDAR, TimingKind.ANNOUNCED)

    @property
    def timing_label(self):
        """The one line a card shows: the date as the calendar sets it, else the season,
        else "date announced each year"."""
        if self.has_announced_date:
            return self.season or str(TimingKind.ANNOUNCED.label)
        if self.timing_kind == TimingKind.ZODIAC_DAY:
            return self.zodiac_day_label or self.season
        if self.timing_kind == TimingKind.SOLAR:
            return self.solar_date_label or self.season
        return self.lunar_date_label or self.solar_date_label or self.season

    @property
    def recurrence_label(self):
        if self.recurrence == Recurrence.PERIODIC and self.recurrence_years:
            return years_label(self.recurrence_years)
        return self.get_recurrence_display()

    @property
    def place_label(self):
        """ "Bình Phước (nay thuộc Đồng Nai)": the province as recorded and its current unit."""
        recorded, current = self.province_as_recorded, self.province
        if recorded is None:
            return ""
        if current is None or recorded.pk == current.pk:
            return recorded.display_name
        return _("%(recorded)s (now part of %(current)s)") % {
            "recorded": recorded.display_name,
            "current": current.display_name,
        }

    @property
    def licence_label(self):
        return self.get_licence_display()

    @property
    def public_participants(self):
        """Participants whose public-display consent holds today: the only ones visitors see."""
        from heritage.models.people import Consent, ConsentScope

        participants = list(self.participants.all().select_related("person"))
        consented = set(
            Consent.objects.valid(ConsentScope.PUBLIC_DISPLAY)
            .filter(person_id__in=[p.person_id for p in participants])
            .values_list("person_id", flat=True)
        )
        return [p for p in participants if p.person_id in consented]

    @property
    def body_asset_ids(self):
        return set(self.body.stream_block.media_asset_ids(self.body))

    def is_visible_to(self, user):
        return RecordPage.objects.filter(pk=self.pk).visible_to(user).exists()

    def clean(self):
        super().clean()
        errors = {}
        if self.lunar_day and not self.lunar_month:
            errors["lunar_month"] = _("Give the lunar month of the lunar day.")
        if self.solar_day and not self.solar_month:
            errors["solar_month"] = _("Give the solar month of the solar day.")
        if self.solar_month and self.solar_day:
            days_in_month = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            if self.solar_day > days_in_month[self.solar_month - 1]:
                errors["solar_day"] = _("Month %(month)s has no day %(day)s.") % {
                    "month": self.solar_month,
                    "day": self.solar_day,
                }
        errors.update(self.timing_errors())
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if (
            self.coordinate_precision == CoordinatePrecision.EXACT
            and not self.may_show_exact_location
        ):
            errors["coordinate_precision"] = _(
                "A restricted record or a sacred site may not show its exact point: "
                "choose commune or province."
            )
        if self.record_id:
            clash = (
                RecordPage.objects.filter(record_id=self.record_id)
                .exclude(translation_key=self.translation_key)
                .exists()
            )
            if clash:
                errors["record_id"] = _("Another record already uses this record ID.")
        if errors:
            raise ValidationError(errors)

    def timing_errors(self):
        """Field -> message for timing that the calendar could not place: one rule for
        the admin and the import."""
        errors = {}
        if self.recurrence == Recurrence.PERIODIC:
            if not self.recurrence_years:
                errors["recurrence_years"] = _("Say every how many years it recurs.")
            if not self.reference_year:
                errors["reference_year"] = _(
                    "Give a year it was held, so the calendar knows which years it falls in."
                )
        if self.timing_kind == TimingKind.SOLAR and not self.solar_month:
            errors["solar_month"] = _("A date on the solar calendar needs its solar month.")
        if self.timing_kind == TimingKind.ZODIAC_DAY:
            if not self.zodiac_branch:
                errors["zodiac_branch"] = _("Choose the zodiac day, e.g. Thìn.")
            if not self.lunar_month:
                errors["lunar_month"] = _("A zodiac day needs the lunar month it falls in.")
            if self.lunar_day:
                errors["lunar_day"] = _(
                    "A zodiac day is found by the calendar: leave the day empty."
                )
        elif self.zodiac_branch:
            errors["zodiac_branch"] = _("A zodiac day is only for the timing “zodiac day”.")
        return errors

    def _set_core_field_defaults(self):
        # ASCII slugs from Vietnamese titles: Django's slugify drops "đ" entirely
        # ("Đâm trâu" -> "am-trau"), so fold first. Wagtail calls this hook from
        # both full_clean() and save().
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if not self.slug and self.title and parent_is_known:
            self.slug = self.slug_from_title()
        super()._set_core_field_defaults()

    def slug_from_title(self, parent=None):
        """A free ASCII slug made from the title ("" if it has no letters)."""
        if parent is not None:
            self._cached_parent_obj = parent
        base_slug = slugify(fold(self.title))[:200]
        return self._get_autogenerated_slug(base_slug) if base_slug else ""

    def save(self, *args, **kwargs):
        if not self.record_id:
            self.record_id = new_record_id()
        if self.locale_id:
            self.record_key = f"{self.record_id}:{self.locale_id}"
        if self.province_as_recorded_id:
            self.province = self.province_as_recorded.current_unit
        self.sync_media_links_from_body()
        return super().save(*args, **kwargs)

    def sync_media_links_from_body(self):
        """Add every asset the body shows to the media relation (in memory, saved with the page)."""
        linked = {link.asset_id for link in self.media_links.all()}
        for asset_id in self.body.stream_block.media_asset_ids(self.body):
            if asset_id not in linked:
                self.media_links.add(RecordMedia(asset_id=asset_id))
                linked.add(asset_id)

    def serve(self, request, *args, **kwargs):
        # A restricted record answers exactly like a missing one.
        if not self.is_visible_to(request.user):
            raise Http404
        response = super().serve(request, *args, **kwargs)
        return sensitivity.remember(request, response, self.record_id)

    def get_sitemap_urls(self, request=None):
        if self.is_restricted:
            return []
        return super().get_sitemap_urls(request)

    def public_media_types(self):
        """The types of the playable media on this record, for its search facets.

        On a public record, only media a visitor may see counts, so a facet
        never reveals hidden media; a restricted record is found only by those
        who may see it, and all its media counts. Media counts once processing
        has published a rendition: until then the page shows a placeholder.
        """
        from media_pipeline.models import MediaAsset

        if self.access == Access.PUBLIC:
            assets = MediaAsset.objects.visible_to(AnonymousUser())
        else:
            assets = MediaAsset.objects.all()
        return set(
            assets.filter(record_links__page=self, renditions__isnull=False)
            .exclude(media_type="")
            .values_list("media_type", flat=True)
            .distinct()
        )

    def public_caption_cues(self):
        """(start seconds, text) of every cue of the transcripts shown beside this record's
        media that a visitor may see, in this page's language: what search indexes and
        links to (#t=).

        Media a visitor may not see (restricted, no consent) gives nothing, whoever asks.
        """
        from media_pipeline.captions import shown_transcript
        from media_pipeline.models import MediaAsset

        assets = (
            MediaAsset.objects.visible_to(AnonymousUser())
            .filter(record_links__page=self)
            .distinct()
            .order_by("pk")
            .prefetch_related("captions")
        )
        language = self.locale.language_code
        cues = []
        for asset in assets:
            transcript = shown_transcript(asset.captions.all(), language)
            if transcript is not None:
                cues.extend((start, text) for start, _end, text in transcript.cues())
        return cues

    def caption_text(self):
        """The spoken text of the record's visible media, for Elasticsearch's index."""
        return "\n".join(text for _start, text in self.public_caption_cues())

    def visible_media(self, user):
        from media_pipeline.models import MediaAsset

        return (
            MediaAsset.objects.visible_to(user)
            .filter(record_links__page=self)
            # The officer's caption of the asset on this record, shown wherever it shows.
            .annotate(record_caption=F("record_links__caption"))
            # Links made from the body have no sort order: they keep the order they were made in.
            .order_by("record_links__sort_order", "record_links__pk")
            .prefetch_related("renditions", "captions")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["media_items"] = self.visible_media(request.user)
        context["show_people_details"] = user_is_officer(request.user)
        return context


class FestivalPage(RecordPage):
    template = "pages/record_page.html"
    content_panels = (
        RecordPage.identity_panels
        + RecordPage.place_time_panels
        + [
            FieldPanel("body"),
            RowsPanel("editions", label=_("Editions (documented years)")),
            RowsPanel("media_links", label=_("Media")),
            RowsPanel("participants", label=_("People")),
            FieldPanel("keywords"),
        ]
        + RecordPage.provenance_panels
    )

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")


class CustomPage(RecordPage):
    custom_type = models.CharField(
        _("type of custom"), max_length=16, choices=CustomType.choices, default=CustomType.RITUAL
    )
    template = "pages/record_page.html"
    content_panels = [FieldPanel("custom_type"), *RecordPage.content_panels]

    class Meta:
        verbose_name = _("custom")
        verbose_name_plural = _("customs")


class FestivalEdition(Orderable, ClusterableModel):
    """One documented year of a festival, and the media recorded at it."""

    page = ParentalKey(FestivalPage, on_delete=models.CASCADE, related_name="editions")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1800), MaxValueValidator(2200)]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    notes = models.TextField(_("what was recorded"), blank=True)
    # Kept in the page's revisions like the edition itself.
    media_assets = ParentalManyToManyField(
        "media_pipeline.MediaAsset",
        blank=True,
        related_name="festival_editions",
        verbose_name=_("media recorded at it"),
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("place"),
        FieldPanel("notes"),
        FieldPanel("media_assets"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return f"{self.page.title} {self.year}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class RecordSource(Orderable):
    page = ParentalKey(RecordPage, on_delete=models.CASCADE, related_name="sources")
    citation = models.TextField(_("citation"))
    url = models.URLField(_("link"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")


class RecordParticipant(Orderable):
    page = ParentalKey(RecordPage, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "heritage.Person",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in this record"), max_length=255, blank=True)

    panels = [FieldPanel("person"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")


class RecordMedia(Orderable):
    """A record's photos, videos, audio and documents, as a real relation."""

    page = ParentalKey(RecordPage, on_delete=models.CASCADE, related_name="media_links")
    asset = models.ForeignKey(
        "media_pipeline.MediaAsset",
        on_delete=models.CASCADE,
        related_name="record_links",
        verbose_name=_("media item"),
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    # The field's own name, "Asset", is English in every language.
    panels = [FieldPanel("asset", heading=_("media item")), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("media item")
        verbose_name_plural = _("media")
        constraints = [
            models.UniqueConstraint(fields=["page", "asset"], name="unique_record_media")
        ]


class VisibilityEvent(models.Model):
    """Every change of a record's public visibility, for harvesters (OAI-PMH deletions)."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        RESTRICTED = "restricted", _("restricted")
        UNRESTRICTED = "unrestricted", _("made public")
        DELETED = "deleted", _("deleted")

    record_id = models.CharField(max_length=64, db_index=True)
    locale = models.CharField(max_length=16)
    page_id = models.PositiveBigIntegerField(null=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("visibility event")
        verbose_name_plural = _("visibility events")

    def __str__(self):
        return f"{self.record_id} [{self.locale}] {self.kind} {self.at:%Y-%m-%d %H:%M}"
