"""The map of the 34 provinces, coordinate precision on every surface, and /provinces/."""

import gzip
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from heritage.access import Access
from heritage.data.build_map import (
    SOURCE_ALIASES,
    MapBuildError,
    dissolve_plan,
    read_provinces,
)
from heritage.geo import MAP_DATA, map_frame, province_centroid, public_coordinates, vietnam_map
from heritage.importing import import_file
from heritage.models import CustomPage, FestivalPage, Province, RecordPage
from heritage.models.records import CoordinatePrecision, CustomType
from tests.factories import make_record
from tests.heritage.importgen import make_rows, write_csv

EXACT, COMMUNE, PROVINCE = (
    CoordinatePrecision.EXACT,
    CoordinatePrecision.COMMUNE,
    CoordinatePrecision.PROVINCE,
)
LAT, LON = Decimal("22.612845"), Decimal("104.121437")


# --- The shapes: drawn once by heritage/data/build_map.py, committed ------------------


def test_the_map_has_the_34_provinces_of_2025():
    provinces = read_provinces()
    shapes = vietnam_map()["provinces"]
    assert len(provinces) == len(shapes) == 34
    assert {s["name"] for s in shapes} == set(provinces)
    assert all(s["d"].startswith("M") for s in shapes)


def test_every_former_province_is_dissolved_into_exactly_one_shape():
    provinces = read_provinces()
    formers = [name for names in provinces.values() for name in names]
    assert len(formers) == len(set(formers)) == 63
    used = []
    for shape in vietnam_map()["provinces"]:
        for source in shape["sources"]:
            former = SOURCE_ALIASES.get(source, source)
            if source != "Hà Tây":  # merged into Hà Nội in 2008
                used.append(former)
            assert former in provinces[shape["name"]], (source, shape["name"])
    assert sorted(used) == sorted(formers)


def test_hoang_sa_and_truong_sa_are_drawn_as_vietnams():
    groups = {g["name_vi"]: g for g in vietnam_map()["archipelagos"]}
    assert groups["Quần đảo Hoàng Sa"]["province"] == "Đà Nẵng"
    assert groups["Quần đảo Trường Sa"]["province"] == "Khánh Hòa"
    _, _, width, height = vietnam_map()["view_box"]
    frame = map_frame()
    for group in groups.values():
        assert len(group["islands"]) >= 5
        for island in group["islands"]:
            assert 0 < island["x"] < width and 0 < island["y"] < height
            x, y = frame.point(island["lat"], island["lon"])
            assert (round(x), round(y)) == (island["x"], island["y"])


def test_the_shipped_map_is_small():
    assert len(gzip.compress(MAP_DATA.read_bytes())) < 60_000


def test_the_dissolve_fails_loudly_on_a_name_it_cannot_place():
    provinces = read_provinces()
    names = [n for names in provinces.values() for n in names]
    assert len(dissolve_plan(names, provinces)) == 34
    with pytest.raises(MapBuildError, match="Atlantis"):
        dissolve_plan([*names, "Atlantis"], provinces)
    with pytest.raises(MapBuildError, match="no source shape for Kon Tum"):
        dissolve_plan([n for n in names if n != "Kon Tum"], provinces)
    with pytest.raises(MapBuildError, match="two source shapes"):
        dissolve_plan([*names, "Kon Tum"], provinces)


# --- The one rule: heritage.geo.public_coordinates ------------------------------------


def _record(precision, *, model=FestivalPage, **fields):
    province = Province.objects.get(name_vi="Lào Cai")
    fields = {"latitude": LAT, "longitude": LON, **fields}
    return model(
        title="Lễ hội Gầu Tào",
        coordinate_precision=precision,
        province_as_recorded=province,
        province=province,
        **fields,
    )


@pytest.mark.django_db
def test_precision_exact_commune_and_province():
    assert public_coordinates(_record(EXACT)) == (LAT, LON, EXACT)
    assert public_coordinates(_record(COMMUNE)) == (Decimal("22.61"), Decimal("104.12"), COMMUNE)
    centre = province_centroid(Province.objects.get(name_vi="Lào Cai"))
    assert public_coordinates(_record(PROVINCE)) == (*centre, PROVINCE)
    assert public_coordinates(_record(EXACT, latitude=None, longitude=None)) is None


@pytest.mark.django_db
def test_the_default_precision_is_commune():
    assert FestivalPage().coordinate_precision == COMMUNE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"access": Access.RESTRICTED},
        {"sensitivity_warning": "Hình ảnh vật thiêng."},
        {"model": CustomPage, "custom_type": CustomType.RITUAL},
    ],
    ids=["restricted", "sensitive", "ritual"],
)
def test_never_exact_for_restricted_records_or_sacred_sites(fields):
    record = _record(EXACT, **fields)
    assert public_coordinates(record) == (Decimal("22.61"), Decimal("104.12"), COMMUNE)
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert "coordinate_precision" in error.value.error_dict


@pytest.mark.django_db
def test_a_plain_record_knows_its_ritual_from_the_queryset(archive):
    ritual = make_record("Lễ cúng rừng", kind="custom", custom_type=CustomType.RITUAL)
    CustomPage.objects.filter(pk=ritual.pk).update(
        coordinate_precision=EXACT, latitude=LAT, longitude=LON
    )
    plain = RecordPage.objects.with_custom_type().get(pk=ritual.pk)
    assert plain.is_sacred_site
    assert public_coordinates(plain).precision == COMMUNE


# --- Import: a column, validated by the model -----------------------------------------


@pytest.mark.django_db
def test_import_reads_the_precision_and_refuses_exact_for_restricted(archive, tmp_path):
    rows = make_rows(3, ["Lào Cai"], english=False)
    rows[0].update(coordinate_precision="province", access="public")
    rows[1].update(coordinate_precision="exact", access="restricted")
    rows[2].update(coordinate_precision="metre", access="public")
    with translation.override("en"):
        report = import_file(write_csv(tmp_path / "survey.csv", rows)).as_dict()
    errors = {row["row"]: row["errors"] for row in report["rows"] if row["errors"]}
    assert RecordPage.objects.get(record_id=rows[0]["record_id"]).coordinate_precision == PROVINCE
    assert [e["column"] for e in errors[3]] == ["coordinate_precision"]
    assert "may not show its exact point" in errors[3][0]["reason"]
    assert [e["column"] for e in errors[4]] == ["coordinate_precision"]
    assert "use exact, commune, province" in errors[4][0]["reason"]


# --- Surfaces: record page, search API, map --------------------------------------------


@pytest.fixture
def placed(archive):
    return make_record(
        "Lễ hội Gầu Tào",
        province="Lào Cai",
        latitude=LAT,
        longitude=LON,
        coordinate_precision=COMMUNE,
    )


def test_record_page_shows_the_rounded_point(client, placed):
    html = client.get(placed.url).content.decode()
    assert "22.61, 104.12" in html
    assert "22.6128" not in html and "104.1214" not in html
    assert "/map/#p-lao-cai" in html


def test_search_api_gives_the_rounded_point(client, placed):
    from search import documents

    documents.rebuild()
    data = client.get("/api/search/", {"q": "Gầu Tào"}).json()
    (hit,) = [h for h in data["results"] if h["record_id"] == placed.record_id]
    assert hit["coordinates"] == {"latitude": 22.61, "longitude": 104.12, "precision": "commune"}


def _point_positions(html):
    return set(re.findall(r'class="map-point-dot" cx="(\d+)" cy="(\d+)"', html))


def test_map_places_the_rounded_point_and_never_a_restricted_record(client, placed):
    make_record(
        "Lễ kín của dòng họ",
        province="Lào Cai",
        latitude=Decimal("22.3"),
        longitude=Decimal("103.9"),
        access=Access.RESTRICTED,
    )
    html = client.get("/map/").content.decode()
    assert "Lễ hội Gầu Tào" in html and placed.url in html
    assert "Lễ kín của dòng họ" not in html
    x, y = map_frame().point(Decimal("22.61"), Decimal("104.12"))
    assert _point_positions(html) == {(str(round(x)), str(round(y)))}


def test_restricted_records_stay_off_the_map_even_for_officers(client, officer, archive):
    make_record(
        "Lễ kín của dòng họ",
        province="Lào Cai",
        latitude=LAT,
        longitude=LON,
        access=Access.RESTRICTED,
    )
    client.force_login(officer)
    html = client.get("/map/").content.decode()
    assert "Lễ kín của dòng họ" not in html
    assert _point_positions(html) == set()


def test_map_page_in_both_languages(client, archive):
    vi = client.get("/map/").content.decode()
    en = client.get("/en/map/").content.decode()
    assert 'lang="vi"' in vi and "Quần đảo Hoàng Sa" in vi and "Quần đảo Trường Sa" in vi
    assert 'lang="en"' in en and "Hoàng Sa (Paracel) Islands" in en
    for html in (vi, en):
        assert len(re.findall(r'class="map-province(?: has-records)?"', html)) == 34
        assert 'src="/static/heritage/map.js"' in html
        assert "style=" not in html and "onclick" not in html


def test_map_query_count_does_not_grow_with_records(client, archive, django_assert_num_queries):
    make_record("Lễ 1", province="Lào Cai", latitude=LAT, longitude=LON)
    with CaptureQueriesContext(connection) as one:
        client.get("/map/")
    for n in range(2, 8):
        make_record(f"Lễ {n}", province="Tuyên Quang", latitude=Decimal("21.8"), longitude=LON)
    with django_assert_num_queries(len(one)):
        html = client.get("/map/").content.decode()
    assert html.count('class="map-point"') == 2


# --- /provinces/ ----------------------------------------------------------------------


def _names(html):
    html = html.split('class="province-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(
        r'<li(?: class="muted")?><(?:a href="[^"]*"|span class="province-name")>([^<]+)<', html
    )


def test_provinces_page_lists_34_in_vietnamese_order_with_former_names(client, archive):
    html = client.get("/provinces/").content.decode()
    names = _names(html)
    assert len(names) == 34
    assert names[0] == "An Giang" and names[-1] == "Vĩnh Long"
    d_names = [n for n in names if n.startswith("Đ")]
    assert d_names == ["Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai", "Đồng Tháp"]
    assert names.index("Đồng Tháp") < names.index("Gia Lai")  # đ before e, g
    assert "Kon Tum" in html and "Bình Phước" in html  # former names
    assert '<a href="/lao-cai/">Lào Cai</a>' in html or "Lào Cai</a>" in html


def test_provinces_page_in_english(client, archive):
    html = client.get("/en/provinces/").content.decode()
    assert 'lang="en"' in html and "<h1>Provinces</h1>" in html
    assert len(_names(html)) == 34
    assert "Formerly:" in html


def test_provinces_page_counts_only_visible_records(client, archive):
    make_record("Lễ công khai", province="Lào Cai")
    make_record("Lễ kín", province="Lào Cai", access=Access.RESTRICTED)
    html = client.get("/provinces/").content.decode()
    lao_cai = html.split("Lào Cai</a>", 1)[1].split("</li>", 1)[0]
    assert "1 hồ sơ" in lao_cai or "1 record" in lao_cai


def test_provinces_page_query_count_does_not_grow(client, archive, django_assert_num_queries):
    make_record("Lễ 1", province="Lào Cai")
    with CaptureQueriesContext(connection) as one:
        client.get("/provinces/")
    for n in range(2, 6):
        make_record(f"Lễ {n}", province="Gia Lai")
    with django_assert_num_queries(len(one)):
        client.get("/provinces/")


def test_header_links_to_the_provinces_page_and_the_map(client, archive):
    html = client.get("/provinces/").content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/provinces/"' in nav and 'href="/map/"' in nav
    assert "#provinces" not in nav
    en = client.get("/en/map/").content.decode()
    nav = en.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/provinces/"' in nav and 'href="/en/map/"' in nav
