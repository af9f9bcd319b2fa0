"""The site's structure: home page and one section per province team."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from heritage.models.records import RecordPage

RECORDS_PER_PAGE = 24


def paginated_records(request, records):
    records = records.select_related("province", "province_as_recorded").prefetch_related(
        "ethnic_groups"
    )
    return Paginator(records.order_by("title"), RECORDS_PER_PAGE).get_page(request.GET.get("page"))


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["heritage.ProvinceIndexPage"]
    max_count_per_parent = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from heritage.models.reference import EthnicGroup, Province

        context = super().get_context(request, *args, **kwargs)
        visible = RecordPage.objects.visible_to(request.user).filter(locale=self.locale)
        context["latest_records"] = (
            visible.select_related("province").prefetch_related("ethnic_groups")
            .order_by("-first_published_at")[:8]
        )
        context["groups"] = (
            EthnicGroup.objects.filter(records__in=visible).distinct().order_by("name_vi")
        )
        context["provinces"] = Province.objects.current().filter(records__in=visible).distinct()
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        records = RecordPage.objects.visible_to(request.user).filter(
            locale=self.locale, province=self.province
        )
        context["records"] = paginated_records(request, records)
        return context
