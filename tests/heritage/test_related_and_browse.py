"""Related records, browse by UNESCO domain, all records, and dictionary order of names."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from heritage.access import Access
from heritage.models import FestivalPage, RecordPage
from heritage.related import nearby_lunar_months, related_records
from search import documents
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def titles(records):
    return [record.title for record in records]


def test_nearby_lunar_months_wrap_round_the_year():
    assert nearby_lunar_months(1) == [1, 2, 12]
    assert nearby_lunar_months(12) == [1, 11, 12]
    assert nearby_lunar_months(6) == [5, 6, 7]


def test_related_records_same_group_then_province_then_season(
    archive, django_assert_max_num_queries
):

    page = make_record("Lồng Tồng", groups=("Tày",), province="Tuyên Quang", lunar_month=1)
    make_record("Then Tày", groups=("Tày",), province="Lạng Sơn", kind="custom")
    make_record("Tày ở Tuyên Quang", groups=("Tày",), province="Tuyên Quang")
    make_record("Dao ở Tuyên Quang", groups=("Dao",), province="Tuyên Quang")
    make_record("Hội tháng Chạp", groups=("Ê Đê",), province="Đắk Lắk", lunar_month=12)
    make_record("Tục tháng Giêng", groups=("Ê Đê",), province="Đắk Lắk", kind="custom",
                lunar_month=1)  # fmt: skip
    make_record("Hội tháng Sáu", groups=("Ê Đê",), province="Đắk Lắk", lunar_month=6)
    make_record("Tày bị hạn chế", groups=("Tày",), access=Access.RESTRICTED)
    make_record("Tày chưa đăng", groups=("Tày",), publish=False)
    ContentType.objects.get_for_model(FestivalPage)  # the content-type cache, as in a server
    with django_assert_max_num_queries(2):
        related = related_records(page, AnonymousUser())
        [list(r.ethnic_groups.all()) for r in related]
        [r.province.name_vi for r in related]
    assert titles(related) == [
        "Tày ở Tuyên Quang",  # group + province
        "Then Tày",  # group
        "Dao ở Tuyên Quang",  # province
        "Hội tháng Chạp",  # a festival in a neighbouring lunar month
    ]


def test_related_records_are_at_most_six_and_on_the_record_page(client, archive):
    page = make_record("Lồng Tồng", groups=("Tày",))
    for number in range(8):
        make_record(f"Hồ sơ Tày {number}", groups=("Tày",))
    related = related_records(page, AnonymousUser())
    assert len(related) == 6
    html = client.get(page.url).content.decode()
    section = re.search(r'<section aria-labelledby="related-heading".*?</section>', html, re.S)
    assert section and section.group(0).count('class="card"') == 6


def test_domain_pages_list_domains_and_their_visible_records(client, archive):
    make_record("Hát Then", ich_domain="performing_arts")
    make_record("Then bí mật", ich_domain="performing_arts", access=Access.RESTRICTED)
    make_record("Dệt thổ cẩm", ich_domain="craftsmanship", kind="custom")
    index = client.get("/domains/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "Nghệ thuật trình diễn" in html or "Performing arts" in html
    assert len(re.findall(r'href="/domains/[a-z-]+/"', html)) == 5
    page = client.get("/domains/performing-arts/").content.decode()
    assert "Hát Then" in page and "Then bí mật" not in page and "Dệt thổ cẩm" not in page
    assert client.get("/domains/no-such-domain/").status_code == 404
    english = client.get("/en/domains/").content.decode()
    assert "Performing arts" in english


def test_search_without_parameters_lists_every_visible_record_with_facets(client, archive):
    make_record("Lễ hội Lồng Tồng", groups=("Tày",))
    make_record("Lễ cấp sắc", groups=("Dao",), kind="custom")
    make_record("Lễ cúng rừng", access=Access.RESTRICTED)
    documents.rebuild()
    html = client.get("/search/").content.decode()
    assert "Lễ hội Lồng Tồng" in html and "Lễ cấp sắc" in html
    assert "Lễ cúng rừng" not in html
    assert 'class="facets"' in html
    assert html.index('class="search-results"') < html.index('class="facets"')


def test_no_results_message_is_in_the_main_column(client, archive):
    make_record("Lễ hội Lồng Tồng")
    documents.rebuild()
    html = client.get("/search/?q=khongcogi").content.decode()
    results = html.index('class="search-results"')
    assert results < html.index('class="no-results"')
    assert 'class="search-layout"' in html  # no empty filter column beside it


GROUPS_IN_ORDER = ["Giáy", "Gia Rai", "Lào", "La Chí", "Tày", "Tà Ôi"]


def test_ethnic_groups_are_in_vietnamese_dictionary_order_everywhere(client, archive):
    record = make_record("Hội chung", groups=GROUPS_IN_ORDER)
    documents.rebuild()

    def order_in(html):
        positions = {name: html.find(f">{name}<") for name in GROUPS_IN_ORDER}
        assert all(p >= 0 for p in positions.values()), positions
        return sorted(GROUPS_IN_ORDER, key=positions.get)

    index = client.get("/ethnic-groups/").content.decode()
    assert order_in(index) == GROUPS_IN_ORDER
    home = client.get("/").content.decode()
    chips = home[home.index('id="groups-heading"') :]
    assert [n for n in re.findall(r'">([^<]+) <span class="count">', chips)][:6] == [
        n for n in GROUPS_IN_ORDER
    ]
    page = client.get(record.url).content.decode()
    assert order_in(page[page.index('class="groups"') :]) == GROUPS_IN_ORDER
    card = home[home.index('class="card-meta"') :]
    assert card.index("Giáy") < card.index("Gia Rai") < card.index("Lào") < card.index("La Chí")
    search = client.get("/search/?q=hoi").content.decode()
    facets = search[search.index('class="facets"') :]
    assert order_in(facets) == GROUPS_IN_ORDER
    meta = search[search.index('class="hit-meta"') :]
    assert meta.index("Tày") < meta.index("Tà Ôi")
    api = client.get("/api/search/?q=hoi").json()
    assert api["results"][0]["ethnic_groups"] == GROUPS_IN_ORDER
    assert [f["label"] for f in api["facets"]["ethnic_group"]] == GROUPS_IN_ORDER


def test_restricted_records_are_never_related(archive):

    page = make_record("Lồng Tồng", groups=("Tày",))
    make_record("Tày bị hạn chế", groups=("Tày",), access=Access.RESTRICTED)
    assert related_records(page, AnonymousUser()) == []
    assert RecordPage.objects.filter(title="Tày bị hạn chế").exists()
