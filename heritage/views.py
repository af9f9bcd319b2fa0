"""Public views that are not Wagtail pages: permalinks, browse by ethnic group and
province, and the map."""

import re

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from heritage.access import Audience
from heritage.maps import build_map
from heritage.models import EthnicGroup, Province, ProvinceIndexPage, RecordPage
from heritage.models.records import RECORD_ID_PATTERN, IchDomain
from heritage.models.site import paginated_records
from heritage.text import in_dictionary_order, sort_key


def visible_records_in_language(request, audience=None):
    """Records the visitor (or ``audience``) may see, in the visitor's language."""
    records = RecordPage.objects.visible_to(audience or request.user)
    try:
        locale = Locale.objects.get(language_code=get_language())
    except Locale.DoesNotExist:
        return records
    return records.filter(locale=locale)


def current_provinces_with_sections():
    """The 34 current provinces (former units fetched) and ``{province pk: section}``
    in the visitor's language."""
    provinces = list(Province.objects.current().prefetch_related("former_units"))
    sections = ProvinceIndexPage.objects.live().filter(locale__language_code=get_language())
    return provinces, {section.province_id: section for section in sections}


def permalink(request, record_id):
    """/r/<record_id>/: the record's page in the visitor's language, else any visible one.

    A record the visitor may not see answers 404 exactly as a missing one.
    """
    if not re.match(RECORD_ID_PATTERN, record_id):  # e.g. NUL, which PostgreSQL refuses
        raise Http404
    records = RecordPage.objects.visible_to(request.user).filter(record_id=record_id)
    record = records.filter(locale__language_code=get_language()).first() or records.first()
    if record is None:
        raise Http404
    return redirect(record.get_url(request))


def ethnic_group_detail(request, slug):
    group = get_object_or_404(EthnicGroup, slug=slug)
    records = visible_records_in_language(request).filter(ethnic_groups=group)
    return render(
        request,
        "pages/ethnic_group_page.html",
        {"group": group, "records": paginated_records(request, records)},
    )


def ethnic_group_index(request):
    visible = visible_records_in_language(request)
    groups = in_dictionary_order(EthnicGroup.objects.all())
    counts = {
        row["ethnic_groups"]: row["n"]
        for row in visible.order_by().values("ethnic_groups").annotate(n=Count("pk"))
    }
    return render(
        request,
        "pages/ethnic_group_index.html",
        {"groups": [(g, counts.get(g.pk, 0)) for g in groups]},
    )


def province_list(request):
    """/provinces/: the 34 provinces of 2025 with their former names and record counts."""
    provinces, sections = current_provinces_with_sections()
    counts = dict(
        visible_records_in_language(request)
        .order_by()
        .values("province")
        .annotate(n=Count("pk"))
        .values_list("province", "n")
    )
    rows = []
    for province in sorted(provinces, key=lambda p: sort_key(p.display_name)):
        section = sections.get(province.pk)
        former = [f.display_name for f in province.former_units.all()]
        rows.append(
            {
                "province": province,
                "url": section.get_url(request) if section else "",
                "former_names": sorted(former, key=sort_key),
                "count": counts.get(province.pk, 0),
            }
        )
    return render(request, "pages/province_list.html", {"provinces": rows})


def province_map(request):
    """/map/: the provinces and the public records on them, drawn server-side as SVG.

    Only public records, whoever asks: the page is the same for every visitor.
    """
    provinces, sections = current_provinces_with_sections()
    records = (
        visible_records_in_language(request, Audience.PUBLIC)
        .with_custom_type()
        .select_related("province")
    )
    section_urls = {pk: section.get_url(request) for pk, section in sections.items()}
    context = build_map(request, records=records, provinces=provinces, section_urls=section_urls)
    return render(request, "pages/map.html", context)


def _domain_slug(value):
    return value.replace("_", "-")


def ich_domain_index(request):
    """The five UNESCO domains, each with how many visible records it has."""
    counts = dict(
        visible_records_in_language(request)
        .order_by()
        .values_list("ich_domain")
        .annotate(n=Count("pk"))
    )
    domains = [
        {"slug": _domain_slug(value), "label": label, "count": counts.get(value, 0)}
        for value, label in IchDomain.choices
    ]
    return render(request, "pages/ich_domain_index.html", {"domains": domains})


def ich_domain_detail(request, slug):
    value = slug.replace("-", "_")
    if value not in IchDomain.values:
        raise Http404
    records = visible_records_in_language(request).filter(ich_domain=value)
    return render(
        request,
        "pages/ich_domain_page.html",
        {"domain": IchDomain(value).label, "records": paginated_records(request, records)},
    )


# Officers' screens, media files (found through their records' pages) and the language switch.
ROBOTS_DISALLOW = ["/admin/", "/files/", "/i18n/"]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
