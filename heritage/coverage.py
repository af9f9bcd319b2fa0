"""Officers' coverage report: how much of the archive a province (or the nation) holds.

Every figure is counted by the database, a fixed handful of queries
whatever the number of records, so the report stays cheap as the archive
grows. Records are counted once per ``record_id`` among the Vietnamese
pages (the archive's first language); a translation is an English page of
the same ``record_id``. Figures only: no title or name of a record, person
or consent leaves this module.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from heritage.models import Consent, EthnicGroup, Province, RecordPage, Team
from media_pipeline.models import MediaAsset, MediaType, ProcessingState

# How far ahead a consent's expiry is worth an officer's attention.
EXPIRY_HORIZON = datetime.timedelta(days=90)
NATIONAL_PERMISSION = "heritage.view_national_coverage"


def sees_national_coverage(user):
    """Archive administrators: superusers and holders of the national-report permission."""
    return user.is_superuser or user.has_perm(NATIONAL_PERMISSION)


def report_teams(user):
    """The province teams whose figures ``user`` may read (all of them for an administrator)."""
    if sees_national_coverage(user):
        return Team.objects.select_related("province")
    return Team.objects.editable_by(user).select_related("province").distinct()


@dataclass
class Table:
    """One table of the report: a title, its column headings and rows of values."""

    title: str
    columns: list
    rows: list = field(default_factory=list)


@dataclass
class Coverage:
    """The figures of one scope: a province (its team) or, with ``province=None``, the nation."""

    province: Province | None
    records: int
    translated: int
    in_review: int
    video_hours: float
    audio_hours: float
    media_total: int
    media_ready: int
    consents_expiring: int
    by_group: list  # (group, records), all 54 groups, the empty ones included
    by_province: list  # (current province, records)
    by_former_province: list  # (former province, records)

    @property
    def translated_share(self):
        return self.translated / self.records if self.records else 0.0

    @property
    def ready_share(self):
        return self.media_ready / self.media_total if self.media_total else 0.0

    @property
    def groups_without_records(self):
        return [group for group, count in self.by_group if not count]

    def tables(self):
        """The report as tables, for the page's exports (headings in the active language)."""
        summary = Table(
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Records"), self.records],
                [_("Records with an English translation"), self.translated],
                [_("Share translated (%)"), round(100 * self.translated_share, 1)],
                [_("Records awaiting review"), self.in_review],
                [_("Hours of video"), round(self.video_hours, 2)],
                [_("Hours of audio"), round(self.audio_hours, 2)],
                [_("Media items"), self.media_total],
                [_("Media items transcoded"), self.media_ready],
                [_("Share transcoded (%)"), round(100 * self.ready_share, 1)],
                [_("Consents expiring in the next 90 days"), self.consents_expiring],
            ],
        )
        groups = Table(
            _("Ethnic groups"),
            [_("Ethnic group"), _("Records")],
            [[group.display_name, count] for group, count in self.by_group],
        )
        provinces = Table(
            _("Provinces"),
            [_("Province"), _("Records")],
            [[province.display_name, count] for province, count in self.by_province],
        )
        former = Table(
            _("Former provinces"),
            [_("Province as recorded"), _("Now part of"), _("Records")],
            [
                [
                    province.display_name,
                    province.current.display_name if province.current else "",
                    count,
                ]
                for province, count in self.by_former_province
            ],
        )
        return [summary, groups, provinces, former]


def coverage(province=None, today=None):
    """The coverage figures of ``province`` (a current unit), or of the whole archive.

    Seven queries, whatever the number of records.
    """
    today = today or timezone.localdate()
    vi_records = RecordPage.objects.filter(locale__language_code="vi")
    records = vi_records if province is None else vi_records.filter(province=province)

    english = RecordPage.objects.filter(locale__language_code="en", record_id=OuterRef("record_id"))
    # WorkflowState points at pages by a text object_id, as a generic relation does.
    reviews = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values("object_id")
    all_locales = RecordPage.objects.all()
    if province is not None:
        all_locales = all_locales.filter(province=province)
    # A record is in review when any of its language versions is.
    reviewed_ids = (
        all_locales.annotate(object_id=Cast("pk", CharField()))
        .filter(object_id__in=reviews)
        .values("record_id")
    )
    counts = records.aggregate(
        records=Count("record_id", distinct=True),
        translated=Count("record_id", distinct=True, filter=Q(Exists(english))),
        in_review=Count("record_id", distinct=True, filter=Q(record_id__in=reviewed_ids)),
    )

    assets = MediaAsset.objects.all()
    consents = Consent.objects.filter(
        withdrawn_on__isnull=True, expires_on__gte=today, expires_on__lte=today + EXPIRY_HORIZON
    )
    if province is not None:
        assets = assets.filter(collection__team__province=province)
        consents = consents.filter(person__team__province=province)
    media = assets.aggregate(
        video=Sum("duration", filter=Q(media_type=MediaType.VIDEO)),
        audio=Sum("duration", filter=Q(media_type=MediaType.AUDIO)),
        total=Count("pk"),
        ready=Count("pk", filter=Q(state=ProcessingState.READY)),
    )

    in_scope = {"records__locale__language_code": "vi"}
    if province is not None:
        in_scope["records__province"] = province
    groups = EthnicGroup.objects.annotate(
        n=Count("records__record_id", filter=Q(**in_scope), distinct=True)
    ).order_by("name_vi")

    provinces = Province.objects.current()
    if province is not None:
        provinces = provinces.filter(pk=province.pk)
    provinces = provinces.annotate(
        n=Count(
            "records__record_id",
            filter=Q(records__locale__language_code="vi"),
            distinct=True,
        )
    ).order_by("name_vi")

    former = Province.objects.filter(is_current=False).select_related("current")
    if province is not None:
        former = former.filter(current=province)
    as_recorded = dict(
        records.filter(province_as_recorded__is_current=False)
        .values_list("province_as_recorded")
        .annotate(n=Count("record_id", distinct=True))
        .order_by()
    )
    return Coverage(
        province=province,
        records=counts["records"],
        translated=counts["translated"],
        in_review=counts["in_review"],
        video_hours=(media["video"] or 0) / 3600,
        audio_hours=(media["audio"] or 0) / 3600,
        media_total=media["total"],
        media_ready=media["ready"],
        consents_expiring=consents.count(),
        by_group=[(group, group.n) for group in groups],
        by_province=[(unit, unit.n) for unit in provinces],
        by_former_province=[
            (unit, as_recorded.get(unit.pk, 0)) for unit in former.order_by("name_vi")
        ],
    )
