"""The officers' coverage report: its figures, who may see which province, its cost, its exports.

Built on a small archive the tests write by hand: two provinces' records
(one recorded under a former province), a translation, an hour and a half
of video, a consent about to expire and a record in review.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from wagtail.models import Locale

from heritage.coverage import coverage
from heritage.models import Consent, EthnicGroup, Person, Province
from media_pipeline.models import MediaAsset, ProcessingState
from tests.factories import make_record, team_member

pytestmark = pytest.mark.django_db

REPORT = reverse("heritage_coverage:report")


def _asset(team, title, media_type, duration, state=ProcessingState.READY):
    asset = MediaAsset(
        title=title,
        media_type=media_type,
        duration=duration,
        state=state,
        collection=team.collection,
    )
    asset.file.save(f"{title}.bin", ContentFile(b"x"), save=False)
    asset.save()
    return asset


@pytest.fixture
def built(archive):
    """Tuyên Quang: 3 records, 1 translated, 1 in review; Lào Cai: 1 record."""
    tuyen_quang, lao_cai = archive["Tuyên Quang"], archive["Lào Cai"]
    long_tong = make_record("Lễ hội Lồng Tồng", groups=("Tày",))
    long_tong.copy_for_translation(Locale.objects.get(language_code="en")).save_revision().publish()
    make_record("Lễ cấp sắc", groups=("Dao",), province="Hà Giang")
    in_review = make_record("Lễ cúng rừng", groups=("Tày", "Dao"))
    editor = team_member(tuyen_quang, "editors", "tq-bientap")
    in_review.save_revision(user=editor)  # a new draft, sent for review
    in_review.get_workflow().start(in_review, editor)
    make_record("Gầu Tào", groups=("H'Mông",), province="Lào Cai")

    _asset(tuyen_quang, "video", "video", 5400)
    _asset(tuyen_quang, "audio", "audio", 1800, state=ProcessingState.PROCESSING)
    _asset(lao_cai, "lc-video", "video", 3600)
    today = timezone.localdate()
    person = Person.objects.create(name="Bà Ma Thị Then", role="informant", team=tuyen_quang)
    for expires in (today + datetime.timedelta(days=30), today + datetime.timedelta(days=200)):
        Consent.objects.create(
            person=person,
            granted_by="Bà Ma Thị Then",
            covers_public_display=True,
            granted_on=datetime.date(2024, 1, 1),
            expires_on=expires,
        )
    return {
        "tuyen_quang": tuyen_quang,
        "lao_cai": lao_cai,
        "editor": editor,
        "lc_editor": team_member(lao_cai, "editors", "lc-bientap"),
    }


def _admin():
    return User.objects.create_superuser("quantri", password="x")


def test_a_province_sees_its_records_translation_media_consents_and_review(built):
    figures = coverage(built["tuyen_quang"].province)
    assert (figures.records, figures.translated, figures.in_review) == (3, 1, 1)
    assert figures.translated_share == pytest.approx(1 / 3)
    assert (figures.video_hours, figures.audio_hours) == (1.5, 0.5)
    assert (figures.media_ready, figures.media_total) == (1, 2)
    assert figures.consents_expiring == 1
    assert figures.by_province == [(built["tuyen_quang"].province, 3)]
    assert figures.by_former_province == [(Province.objects.get(name_vi="Hà Giang"), 1)]


def test_all_54_groups_are_listed_and_the_empty_ones_are_the_gaps(built):
    figures = coverage(built["tuyen_quang"].province)
    counts = {group.name_vi: n for group, n in figures.by_group}
    assert len(counts) == EthnicGroup.objects.count() == 54
    assert (counts["Tày"], counts["Dao"], counts["H'Mông"]) == (2, 2, 0)
    assert len(figures.groups_without_records) == 52


def test_the_nation_counts_every_province_once_each(built):
    figures = coverage()
    assert (figures.records, figures.translated, figures.video_hours) == (4, 1, 2.5)
    counts = dict(figures.by_province)
    assert len(counts) == 34
    assert counts[built["lao_cai"].province] == 1
    assert counts[Province.objects.get(name_vi="Hà Nội")] == 0


def test_the_page_is_in_vietnamese_and_shows_the_officers_province(client, built):
    client.force_login(built["editor"])
    response = client.get(REPORT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo cáo độ phủ: Tuyên Quang" in page
    assert "52 dân tộc chưa có hồ sơ nào." in page
    assert "Gầu Tào" not in page  # figures only, and of their province only


def test_an_officer_may_not_open_another_province(client, built):
    client.force_login(built["lc_editor"])
    assert client.get(REPORT).context["province"] == built["lao_cai"].province
    assert client.get(REPORT, {"province": "tuyen-quang"}).status_code == 403
    assert (
        client.get(reverse("heritage_coverage:xlsx"), {"province": "tuyen-quang"}).status_code
        == 403
    )


def test_an_officer_without_a_team_gets_no_report(client, built):
    officer = User.objects.create_user("khach", password="x")
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    assert client.get(REPORT).status_code == 403


def test_administrators_see_the_nation_and_may_pick_a_province(client, built):
    client.force_login(_admin())
    assert client.get(REPORT).context["figures"].records == 4
    picked = client.get(REPORT, {"province": built["lao_cai"].province.slug})
    assert picked.context["figures"].records == 1


def test_the_national_permission_opens_the_national_view_to_an_officer(client, built):
    officer = built["lc_editor"]
    officer.user_permissions.add(Permission.objects.get(codename="view_national_coverage"))
    client.force_login(User.objects.get(pk=officer.pk))
    assert client.get(REPORT).context["province"] is None


def _grow(archive, count):
    for number in range(count):
        make_record(f"Hồ sơ {number}", groups=("Tày", "Nùng"), province="Tuyên Quang")


@pytest.mark.parametrize("size", [5, 60])
def test_the_figures_cost_at_most_ten_queries_whatever_the_size(
    client, archive, size, django_assert_max_num_queries
):
    _grow(archive, size)
    with django_assert_max_num_queries(10):
        assert coverage().records == size
    with django_assert_max_num_queries(10):
        assert coverage(archive["Tuyên Quang"].province).records == size


def test_the_page_costs_the_same_at_5_and_at_60_records(client, archive):
    client.force_login(_admin())
    counted = []
    for size in (5, 55):
        _grow(archive, size)
        client.get(REPORT)  # Wagtail's menus and caches warm up
        with CaptureQueriesContext(connection) as page:
            client.get(REPORT)
        counted.append(len(page))
    assert counted[0] == counted[1]


def _page_figures(response):
    figures = response.context["figures"]
    return {table.title: table.rows for table in figures.tables()}


def test_the_xlsx_holds_the_page_figures_a_sheet_per_table(client, built):
    client.force_login(built["editor"])
    expected = _page_figures(client.get(REPORT))
    response = client.get(reverse("heritage_coverage:xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tóm tắt", "Dân tộc", "Tỉnh, thành phố", "Tỉnh cũ"]
    for sheet, rows in zip(workbook.worksheets, expected.values(), strict=True):
        read = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert read == rows
    summary = {name: value for name, value in expected["Tóm tắt"]}
    assert summary["Số giờ video"] == 1.5


def test_the_csv_holds_the_same_tables_under_their_titles(client, built):
    client.force_login(built["editor"])
    expected = _page_figures(client.get(REPORT))
    text = client.get(reverse("heritage_coverage:csv")).content.decode("utf-8-sig")
    sections = [list(csv.reader(io.StringIO(part))) for part in text.split("\r\n\r\n")]
    assert [section[0][0] for section in sections] == list(expected)
    for section, rows in zip(sections, expected.values(), strict=True):
        assert section[2:] == [[str(value) for value in row] for row in rows]


def test_english_admins_get_english_headings(client, built):
    client.force_login(built["editor"])
    with override("en"):
        figures = coverage(built["tuyen_quang"].province)
        assert [table.title for table in figures.tables()][0] == "Summary"


def test_cells_are_formula_neutralised(client, built):
    group = EthnicGroup.objects.get(name_vi="Tày")
    group.name_vi = "=HYPERLINK(1)"
    group.save()
    client.force_login(built["editor"])
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("heritage_coverage:xlsx")).content)
    )
    names = [row[0] for row in workbook["Dân tộc"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in names
    assert not any(name.startswith("=") for name in names)


def test_an_officer_with_an_english_admin_reads_the_report_in_english(client, built):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(built["editor"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(built["editor"])
    page = client.get(REPORT).content.decode()
    assert f"Coverage report: {built['tuyen_quang'].province.name_en}" in page
    assert "52 ethnic groups have no record yet." in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("heritage_coverage:xlsx")).content)
    )
    assert workbook.sheetnames == ["Summary", "Ethnic groups", "Provinces", "Former provinces"]
