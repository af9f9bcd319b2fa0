"""Builders for test data: records placed in their province's section, published or not."""

from wagtail.models import Locale

from heritage.curation import section_for
from heritage.models import CustomPage, EthnicGroup, FestivalPage, Province


def make_record(
    title="Lễ hội Lồng Tồng",
    *,
    kind="festival",
    groups=("Tày",),
    province="Tuyên Quang",
    publish=True,
    locale="vi",
    **fields,
):
    """Create a record under its province's section; returns the saved page."""
    province_obj = Province.objects.get(name_vi=province)
    model = FestivalPage if kind == "festival" else CustomPage
    page = model(title=title, province_as_recorded=province_obj, live=False, **fields)
    parent = section_for(province_obj, Locale.objects.get(language_code=locale))
    parent.add_child(instance=page)
    page.ethnic_groups.set(EthnicGroup.objects.filter(name_vi__in=groups))
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page
