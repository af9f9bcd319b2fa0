"""Reference data: the 54 ethnic groups, the provinces and the province teams."""

import unicodedata

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from search.text import fold


class LocalizedNameMixin:
    """Pick the Vietnamese or English name by the active language."""

    @property
    def display_name(self):
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi


class EthnicGroupQuerySet(models.QuerySet):
    def resolve(self, name):
        """Find the one group a typed name means: ``(group, None)`` or ``(None, reason)``.

        Tiers, first match wins: own name as typed, other name as typed, own
        name ignoring diacritics, other name ignoring diacritics ("Thổ" is a
        group and also an old name of the Tày). Several groups in one tier
        make the name ambiguous: reported, never guessed.
        """
        return resolve_group_name(name, list(self.all()))


def resolve_group_name(name, groups):
    """``EthnicGroupQuerySet.resolve`` over groups already in memory (bulk imports)."""
    typed = unicodedata.normalize("NFC", name.strip()).casefold()
    if not typed:
        return None, _("empty ethnic group name")
    exact = lambda names: {unicodedata.normalize("NFC", n).casefold() for n in names}  # noqa: E731
    folded = lambda names: {fold(n) for n in names}  # noqa: E731
    tiers = [
        (exact, typed, lambda g: [g.name_vi, g.name_en]),
        (exact, typed, lambda g: g.other_names),
        (folded, fold(name), lambda g: [g.name_vi, g.name_en]),
        (folded, fold(name), lambda g: g.other_names),
    ]
    for normalise, key, names_of in tiers:
        matches = [g for g in groups if key in normalise(names_of(g))]
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            names = ", ".join(sorted(g.name_vi for g in matches))
            return None, _("ambiguous ethnic group name %(name)r: could be %(names)s") % {
                "name": name,
                "names": names,
            }
    return None, _("unknown ethnic group %(name)r") % {"name": name}


# The reference data names each group's language group in Vietnamese; English pages show these,
# with the groups' English names (name_en), never a second spelling of them.
LANGUAGE_GROUP_NAMES = {
    "Việt-Mường": _("Viet–Muong"),
    "Tày-Thái": _("Tai (Tay–Thai)"),
    "Kadai": _("Kra (Kadai)"),
    "Môn-Khmer": _("Mon–Khmer"),
    "H'Mông-Dao": _("Hmong–Mien"),
    "Nam Đảo": _("Austronesian"),
    "Hán": _("Sinitic"),
    "Tạng-Miến": _("Tibeto-Burman"),
}


class EthnicGroup(LocalizedNameMixin, models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=64)
    slug = models.SlugField(unique=True)
    language_group = models.CharField(_("language group"), max_length=64, blank=True)
    other_names = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Other names and exonyms, used only as search aliases."),
    )

    objects = EthnicGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self):
        return self.name_vi

    @property
    def all_names(self):
        return [self.name_vi, self.name_en, *self.other_names]

    @property
    def language_group_label(self):
        """The language group in the reader's language."""
        return LANGUAGE_GROUP_NAMES.get(self.language_group, self.language_group)


class ProvinceKind(models.TextChoices):
    CITY = "city", _("Centrally-governed city")
    PROVINCE = "province", _("Province")


class ProvinceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def resolve(self, name):
        """Return ``(province_as_recorded, current_province)`` for a typed name.

        Accepts any of the 34 current or 63 former names, ignoring case and
        diacritics; returns ``(None, None)`` for an unknown name.
        """
        key = fold(name)
        if not key:
            return None, None
        for province in self.select_related("current"):
            if fold(province.name_vi) == key or fold(province.name_en) == key:
                return province, province.current or province
        return None, None


class Province(LocalizedNameMixin, models.Model):
    """A provincial unit: one of the 34 in force since 1 July 2025, or a former one.

    Records keep the province as recorded; ``current`` resolves a former
    province to the unit it became part of.
    """

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=16, choices=ProvinceKind.choices, blank=True)
    is_current = models.BooleanField(_("current unit"), default=False)
    current = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="former_units",
        verbose_name=_("now part of"),
        limit_choices_to={"is_current": True},
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["-is_current", "name_vi"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        if self.is_current:
            return self.name_vi
        return f"{self.name_vi} ({_('former')})"

    @property
    def current_unit(self):
        return self if self.is_current else self.current


class TeamQuerySet(models.QuerySet):
    """What a team's groups allow: the one place that reads editors and reviewers for it."""

    def editable_by(self, user):
        """Teams whose records ``user`` may write (editors and reviewers; superusers: all)."""
        if user.is_superuser:
            return self.all()
        groups = user.groups.values_list("pk", flat=True)
        return self.filter(models.Q(editors__in=groups) | models.Q(reviewers__in=groups))

    def publishable_by(self, user):
        """Teams whose records ``user`` may publish (reviewers; superusers: all)."""
        if user.is_superuser:
            return self.all()
        return self.filter(reviewers__in=user.groups.values_list("pk", flat=True))


class Team(models.Model):
    """A province's team: its officers' group, its reviewers' group and its collection."""

    province = models.OneToOneField(
        Province, on_delete=models.PROTECT, limit_choices_to={"is_current": True}
    )
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="editor_team"
    )
    reviewers = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="reviewer_team"
    )
    collection = models.OneToOneField("wagtailcore.Collection", on_delete=models.PROTECT)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["province__name_vi"]
        verbose_name = _("province team")
        verbose_name_plural = _("province teams")
        # Archive administrators read every province's coverage report.
        permissions = [("view_national_coverage", _("Can see the national coverage report"))]

    def __str__(self):
        return str(self.province)
