"""The site's structure: home page and one section per province team."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from heritage.models.records import RecordPage
from heritage.text import in_dictionary_order

RECORDS_PER_PAGE = 24
LATEST_RECORDS = 6


def attach_thumbnails(records, user):
    """Set ``record.thumbnail`` on each record: its first image the user may see, or None.

    One query for the whole list, so list pages stay free of N+1 lookups.
    """
    from media_pipeline.models import MediaAsset, MediaType

    records = list(records)
    rows = (
        MediaAsset.objects.visible_to(user)
        .filter(media_type=MediaType.IMAGE, record_links__page__in=[r.pk for r in records])
        .order_by("record_links__sort_order", "pk")
        .values_list("record_links__page", "pk")
    )
    first = {}
    for page_id, asset_id in rows:
        first.setdefault(page_id, asset_id)
    assets = (
        MediaAsset.objects.prefetch_related("renditions").in_bulk(set(first.values()))
        if first
        else {}
    )
    for record in records:
        record.thumbnail = assets.get(first.get(record.pk))
    return records


def paginated_records(request, records):
    """One page of records for a list, with what their cards show already fetched."""
    records = records.select_related("province", "province_as_recorded").prefetch_related(
        "ethnic_groups"
    )
    page = Paginator(records.order_by("title"), RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = attach_thumbnails(page.object_list, request.user)
    return page


def this_lunar_month(visible):
    """The home page's "this lunar month": what the ``visible`` records hold in it, in Vietnam."""
    from heritage import festival_calendar
    from heritage.display import lunar_month_year_label

    lunar, occurrences, month_long = festival_calendar.lunar_month_of(
        visible, festival_calendar.today()
    )
    return {
        "label": lunar_month_year_label(lunar.year, lunar.month, lunar.leap),
        "occurrences": occurrences,
        "month_long": month_long,
    }


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["heritage.ProvinceIndexPage", "heritage.StoryIndexPage"]
    max_count_per_parent = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from heritage.models.reference import EthnicGroup

        context = super().get_context(request, *args, **kwargs)
        visible = RecordPage.objects.visible_to(request.user).filter(locale=self.locale)
        latest = (
            visible.select_related("province", "province_as_recorded")
            .prefetch_related("ethnic_groups")
            .order_by("-first_published_at", "-pk")[:LATEST_RECORDS]
        )
        context["latest_records"] = attach_thumbnails(latest, request.user)
        # Filtering before counting limits the count to the visible records.
        visible_ids = visible.values("pk")
        groups = (
            EthnicGroup.objects.filter(records__in=visible_ids)
            .order_by("name_vi")
            .annotate(record_count=Count("records"))
        )
        context["groups"] = in_dictionary_order(groups)
        sections = {
            s.province_id: s for s in ProvinceIndexPage.objects.live().filter(locale=self.locale)
        }
        provinces = []
        for row in (
            RecordPage.objects.filter(pk__in=visible_ids)
            .order_by()
            .values("province")
            .annotate(record_count=Count("pk"))
        ):
            section = sections.get(row["province"])
            if section is not None:
                section.record_count = row["record_count"]
                provinces.append(section)
        context["province_sections"] = in_dictionary_order(provinces, name=lambda s: s.title)
        context["record_total"] = sum(s.record_count for s in provinces)
        context["this_lunar_month"] = this_lunar_month(visible)
        return context


class ProvinceIndexPage(Page):
    """A province team's section: its records live below it, and its officers edit only here."""

    province = models.ForeignKey(
        "heritage.Province",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_current": True},
        verbose_name=_("province"),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("province"), FieldPanel("intro")]
    parent_page_types = ["heritage.HomePage"]
    subpage_types = ["heritage.FestivalPage", "heritage.CustomPage"]
    template = "pages/province_index_page.html"

    class Meta:
        verbose_name = _("province section")
        verbose_name_plural = _("province sections")

    @property
    def former_provinces(self):
        """The former provinces merged into this one (1 July 2025), by their display names."""
        return [
            p.display_name
            for p in self.province.former_units.order_by("name_vi")
            if p.name_vi != self.province.name_vi
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        records = RecordPage.objects.visible_to(request.user).filter(
            locale=self.locale, province=self.province
        )
        context["records"] = paginated_records(request, records)
        return context
