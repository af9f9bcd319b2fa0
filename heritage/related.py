"""Records related to a record: same ethnic group first, then same province, then season.

One query ranks every candidate in the database and a second fetches the
cards' ethnic groups, however many records the archive holds.
"""

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from heritage.models import FestivalPage, RecordPage

RELATED_LIMIT = 6
# How much each shared trait weighs: a shared group outranks a shared
# province, which outranks a nearby lunar month, whatever the others say.
SAME_GROUP, SAME_PROVINCE, NEAR_IN_SEASON = 4, 2, 1


def nearby_lunar_months(month):
    """The lunar month and its neighbours, the year wrapping round (12 → 1)."""
    return sorted({(month - 2) % 12 + 1, month, month % 12 + 1})


def related_records(page, user, limit=RELATED_LIMIT):
    """Up to ``limit`` records ``user`` may see that share most with ``page``, in its language."""
    groups = RecordPage.ethnic_groups.through.objects
    shares_group = Exists(
        groups.filter(
            recordpage_id=OuterRef("pk"),
            ethnicgroup_id__in=groups.filter(recordpage_id=page.pk).values("ethnicgroup_id"),
        )
    )
    near_in_season = Q(pk__in=[])  # a custom, or a festival without a lunar month
    if page.kind == "festival" and page.lunar_month:
        near_in_season = Q(
            lunar_month__in=nearby_lunar_months(page.lunar_month),
            pk__in=FestivalPage.objects.values("pk"),
        )

    def weight(condition, points):
        return Case(When(condition, then=Value(points)), default=Value(0))

    related = (
        RecordPage.objects.visible_to(user)
        .filter(locale_id=page.locale_id)
        .exclude(translation_key=page.translation_key)
        .annotate(
            score=weight(shares_group, SAME_GROUP)
            + weight(Q(province_id=page.province_id), SAME_PROVINCE)
            + weight(near_in_season, NEAR_IN_SEASON)
        )
        .filter(score__gt=0)
        .select_related("province")
        .prefetch_related("ethnic_groups")
        .order_by("-score", "-first_published_at", "pk")
    )
    return list(related[:limit])
