"""import_records: real sheets (generated here), real database, real files."""

import hashlib
import io
import json
import wave
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from PIL import Image
from wagtail.models import Locale, Page, Revision

from heritage.importing import import_file
from heritage.models import EthnicGroup, FestivalPage, Province, RecordPage
from media_pipeline.models import MediaAsset
from tests.heritage.importgen import make_rows, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def english():
    """Reasons are asserted in English (the msgids); officers read them in Vietnamese."""
    with translation.override("en"):
        yield


PROVINCES = ["Tuyên Quang", "Lào Cai", "Đồng Nai", "Bình Phước", "Gia Lai", "Lạng Sơn"]

# (column to break, value, column reported, words the reason contains). Cell formats
# are read by the importer; what a value must be is the model's own full_clean().
BAD_ROWS = [
    ("ethnic_groups", "Người Sao Hỏa", "ethnic_groups", "unknown ethnic group"),
    ("ethnic_groups", "Chil", "ethnic_groups", "ambiguous"),
    ("ethnic_groups", "Trại", "ethnic_groups", "ambiguous"),
    ("ethnic_groups", "Xá Khao", "ethnic_groups", "ambiguous"),
    ("recorded_on", "2024-02-30", "recorded_on", "bad date"),
    ("lunar_day", "31", "lunar_day", "less than or equal to 30"),
    ("title_vi", "", "title_vi", "cannot be blank"),
    ("kind", "parade", "kind", "bad kind"),
    ("recurrence_years", "", "recurrence_years", "every how many years"),
    ("longitude", "", "longitude", "both latitude and longitude"),
    ("province", "Atlantis", "province", "unknown province"),
    ("licence", "CC0", "licence", "unknown licence"),
    ("media", "photos/missing.jpg", "media", "missing media file"),
    ("lunar_month", "13", "lunar_month", "less than or equal to 12"),
    ("solar_day", "31", "solar_day", "no day 31"),
    ("access", "secret", "access", "not a valid choice. use public, restricted"),
    ("recurrence", "weekly", "recurrence", "use annual, periodic, occasional"),
    ("latitude", "north", "latitude", "not a number"),
    ("lunar_leap", "2", "lunar_leap", "0 or 1"),
    ("ich_domain", "cooking", "ich_domain", "'cooking' is not a valid choice"),
    ("title_vi", "Lễ " * 90, "title_vi", "at most 255 characters"),
]


def _break(row, column, value):
    row[column] = value
    if column == "recurrence_years":
        row["recurrence"] = "periodic"
        row["reference_year"] = "2022"  # so the missing years are the row's one fault
    if column == "solar_day":
        row["solar_month"] = "2"


@pytest.mark.slow
@pytest.mark.django_db
def test_500_rows_with_20_bad_ones(archive, tmp_path):
    rows = make_rows(500, PROVINCES)
    for index, row in enumerate(rows):
        if index % 10:  # English on one row in ten keeps the test quick
            row.update(title_en="", summary_en="", description_en="")
    bad_at = {}
    for number, (column, value, reported, words) in enumerate(BAD_ROWS):
        index = 7 + number * 24
        _break(rows[index], column, value)
        bad_at[index + 2] = (reported, words)  # header is row 1
    sheet = write_csv(tmp_path / "survey.csv", rows)
    report = tmp_path / "report.json"
    out, err = io.StringIO(), io.StringIO()

    call_command("import_records", str(sheet), "--report", str(report), stdout=out, stderr=err)

    assert out.getvalue().splitlines()[-1] == "created 479, updated 0, unchanged 0, failed 21"
    assert "100%" in err.getvalue() and "500/500" in err.getvalue()  # tqdm on stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["counts"] == {"created": 479, "updated": 0, "unchanged": 0, "failed": 21}
    failed = {row["row"]: row["errors"] for row in result["rows"] if row["status"] == "failed"}
    assert set(failed) == set(bad_at)
    for number, (column, words) in bad_at.items():
        assert len(failed[number]) == 1, failed[number]
        assert failed[number][0]["column"] == column
        assert words in failed[number][0]["reason"].lower(), failed[number]
    vi = Locale.objects.get(language_code="vi")
    assert RecordPage.objects.filter(locale=vi).count() == 479
    assert RecordPage.objects.filter(locale__language_code="en").count() == 50
    # Drafts without --publish: a saved revision, not live.
    page = RecordPage.objects.get(record_id="vh-test00001", locale=vi)
    assert not page.live and page.has_unpublished_changes and page.latest_revision_id
    assert page.title == "Lễ cấp sắc 1"
    assert Page.find_problems() == ([], [], [], [], [])  # the tree is sound

    # Same file again: nothing changes, no new revision.
    revisions = Revision.objects.count()
    out = io.StringIO()
    call_command("import_records", str(sheet), stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == "created 0, updated 0, unchanged 479, failed 21"
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_xlsx_publish_and_english_translations(archive, tmp_path):
    rows = make_rows(6, PROVINCES)
    sheet = write_xlsx(tmp_path / "survey.xlsx", rows)
    result = import_file(sheet, publish=True)
    assert result.summary() == "created 6, updated 0, unchanged 0, failed 0"
    en = Locale.objects.get(language_code="en")
    for row in rows:
        vi_page = RecordPage.objects.get(record_id=row["record_id"], locale__language_code="vi")
        en_page = RecordPage.objects.get(record_id=row["record_id"], locale=en)
        assert vi_page.live and en_page.live and not vi_page.has_unpublished_changes
        assert en_page.translation_key == vi_page.translation_key
        assert en_page.title == row["title_en"] and en_page.summary == row["summary_en"]
        assert en_page.get_parent().specific.province == vi_page.province
        assert en_page.get_parent().locale == en
        assert vi_page.get_translation(en) == en_page
        assert set(en_page.ethnic_groups.all()) == set(vi_page.ethnic_groups.all())
        assert vi_page.live_revision_id == vi_page.latest_revision_id
    page = FestivalPage.objects.get(record_id=rows[1]["record_id"], locale__language_code="vi")
    paragraphs = [block.value.source for block in page.body]
    assert len(paragraphs) == rows[1]["description_vi"].count("\n\n") + 1
    assert "&lt;bản làng&gt; &amp; an vui" in "".join(paragraphs) or "<br/>" in paragraphs[0]


@pytest.mark.django_db
def test_dry_run_writes_nothing(archive, tmp_path):
    rows = make_rows(5, PROVINCES)
    rows[2]["lunar_day"] = "31"
    sheet = write_csv(tmp_path / "survey.csv", rows)
    before = (Page.objects.count(), Revision.objects.count(), MediaAsset.objects.count())
    out = io.StringIO()
    call_command("import_records", str(sheet), "--dry-run", stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == "created 4, updated 0, unchanged 0, failed 1"
    assert (Page.objects.count(), Revision.objects.count(), MediaAsset.objects.count()) == before


@pytest.mark.django_db
def test_former_province_and_ambiguous_groups(archive, tmp_path):
    rows = make_rows(4, ["Bình Phước"], english=False)
    rows[1]["ethnic_groups"] = "Tày;Chil"
    rows[2]["ethnic_groups"] = "trai"
    rows[3]["ethnic_groups"] = "nung; TÀY"  # case and diacritics do not matter
    result = import_file(write_csv(tmp_path / "s.csv", rows))
    assert result.counts["created"] == 2
    errors = {error["row"]: error for error in result.errors()}
    assert errors[3]["column"] == "ethnic_groups" and "Chil" in errors[3]["reason"]
    assert "Cơ Ho" in errors[3]["reason"] and "M'Nông" in errors[3]["reason"]
    assert "ambiguous" in errors[4]["reason"]
    page = RecordPage.objects.get(record_id=rows[0]["record_id"])
    assert page.province.name_vi == "Đồng Nai"
    assert page.province_as_recorded.name_vi == "Bình Phước"
    assert page.get_parent().specific.province.name_vi == "Đồng Nai"
    page = RecordPage.objects.get(record_id=rows[3]["record_id"])
    assert set(page.ethnic_groups.values_list("name_vi", flat=True)) == {"Nùng", "Tày"}


@pytest.mark.django_db
def test_update_in_place_then_publish(archive, tmp_path):
    rows = make_rows(3, PROVINCES)
    sheet = write_csv(tmp_path / "s.csv", rows)
    import_file(sheet)
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    revisions = page.revisions.count()
    rows[0]["summary_vi"] = "Tóm tắt mới"
    rows[0]["keywords"] = "múa;lễ hội"
    result = import_file(write_csv(tmp_path / "s.csv", rows))
    assert result.summary() == "created 0, updated 1, unchanged 2, failed 0"
    page.refresh_from_db()
    assert page.revisions.count() == revisions + 1 and not page.live
    assert page.summary == "Tóm tắt mới"  # a never-published draft keeps its row current
    assert sorted(page.keywords.names()) == ["lễ hội", "múa"]
    result = import_file(sheet, publish=True)
    assert result.counts["updated"] == 3
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id
    # A published record updated without --publish keeps its live content, with a draft.
    rows[0]["summary_vi"] = "Bản nháp"
    import_file(write_csv(tmp_path / "s.csv", rows))
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes and page.summary == "Tóm tắt mới"
    assert page.get_latest_revision_as_object().summary == "Bản nháp"
    assert import_file(write_csv(tmp_path / "s.csv", rows)).counts["unchanged"] == 3


def _png(path, colour):
    Image.new("RGB", (8, 8), colour).save(path)
    return path


def _wav(path):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 800)
    return path


@pytest.mark.django_db
def test_media_files_become_private_assets(archive, tmp_path):
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    _png(media / "photos" / "a.png", "red")
    _png(media / "photos" / "copy-of-a.png", "red")  # same bytes: one asset
    _wav(media / "song.wav")
    (media / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    rows = make_rows(2, ["Lào Cai"], english=True)
    rows[0]["media"] = "photos/a.png;song.wav;report.pdf"
    rows[1]["media"] = "photos/copy-of-a.png;../escape.png"
    result = import_file(write_csv(tmp_path / "s.csv", rows), media_dir=media)
    assert result.counts["created"] == 1
    assert "outside the media folder" in result.errors()[0]["reason"]
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    assets = [link.asset for link in page.media_links.order_by("sort_order")]
    assert [asset.media_type for asset in assets] == ["image", "audio", "document"]
    team = archive["Lào Cai"]
    for asset, source in zip(assets, ["photos/a.png", "song.wav", "report.pdf"], strict=True):
        with asset.file.open("rb") as stored:
            assert stored.read() == (media / source).read_bytes()
        assert asset.collection_id == team.collection_id
        assert Path(asset.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert asset.sha256 == hashlib.sha256((media / source).read_bytes()).hexdigest()
    en_page = page.get_translation(Locale.objects.get(language_code="en"))
    assert [link.asset_id for link in en_page.media_links.all()] == [a.pk for a in assets]
    rows[1]["media"] = "photos/copy-of-a.png"
    import_file(write_csv(tmp_path / "s.csv", rows), media_dir=media)
    assert MediaAsset.objects.count() == 3  # the duplicate reused the first asset


@pytest.mark.django_db
def test_search_finds_records_after_the_deferred_index_task(
    archive, tmp_path, django_capture_on_commit_callbacks
):
    from wagtail.models import ReferenceIndex

    rows = make_rows(3, PROVINCES)
    rows[0]["title_vi"] = "Lễ hội Quỳnh Nhai độc nhất"
    sheet = write_csv(tmp_path / "s.csv", rows)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file(sheet, publish=True)
    page = RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi")
    assert len(callbacks) >= 1
    found = RecordPage.objects.live().search("Quỳnh Nhai")
    assert page.pk in [hit.pk for hit in found]
    assert ReferenceIndex.objects.filter(object_id=str(page.pk)).exists()


@pytest.mark.django_db
def test_deferral_skips_per_save_indexing(archive, tmp_path, django_capture_on_commit_callbacks):
    rows = make_rows(2, PROVINCES)
    rows[0]["title_vi"] = "Lễ hội Mường Lay hiếm có"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_file(write_csv(tmp_path / "s.csv", rows), publish=True)
    assert not RecordPage.objects.live().search("Mường Lay hiếm")
    for callback in callbacks:
        callback()
    assert RecordPage.objects.live().search("Mường Lay hiếm")


@pytest.mark.django_db
def test_group_names_resolve_once(archive, tmp_path):
    assert EthnicGroup.objects.resolve("Chil")[0] is None
    assert Province.objects.resolve("Bình Phước")[1].name_vi == "Đồng Nai"


@pytest.mark.django_db
def test_english_recorded_by_and_rights_holder_columns(archive, tmp_path):
    rows = make_rows(3, PROVINCES)
    for row in rows:
        row.update(recorded_by="Nhóm khảo sát điền dã tỉnh", rights_holder="Sở Văn hóa")
    rows[0].update(
        recorded_by_en="Provincial field-survey team", rights_holder_en="Dept. of Culture"
    )
    rows[2].update(title_en="", summary_en="", description_en="", recorded_by_en="Survey team")
    result = import_file(write_csv(tmp_path / "in.csv", rows), publish=True)

    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    failed = [row for row in result.rows if row.status == "failed"][0]
    assert failed.errors == [
        {
            "column": "recorded_by_en",
            "reason": "Recorded by (English) given without an English title",
        }
    ]

    def page(record_id, language):
        return RecordPage.objects.get(record_id=record_id, locale__language_code=language)

    first_vi, first_en = (page(rows[0]["record_id"], lang) for lang in ("vi", "en"))
    assert (first_vi.recorded_by, first_vi.rights_holder) == (
        "Nhóm khảo sát điền dã tỉnh",
        "Sở Văn hóa",
    )
    assert (first_en.recorded_by, first_en.rights_holder) == (
        "Provincial field-survey team",
        "Dept. of Culture",
    )
    # Blank English cells: the English page says what the Vietnamese one does.
    second_en = page(rows[1]["record_id"], "en")
    assert (second_en.recorded_by, second_en.rights_holder) == (
        "Nhóm khảo sát điền dã tỉnh",
        "Sở Văn hóa",
    )
