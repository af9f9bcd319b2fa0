"""Public views that are not Wagtail pages: permalinks, browse by ethnic group and
province, and the map."""

import re

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from wagtail.models import Locale

from heritage.access import Audience
from heritage.maps import build_map
from heritage.models import EthnicGroup, Province, ProvinceIndexPage, RecordPage
from heritage.models.records import RECORD_ID_PATTERN
from heritage.models.site import paginated_records
from heritage.text import sort_key


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
    groups = sorted(EthnicGroup.objects.all(), key=lambda g: sort_key(g.display_name))
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
