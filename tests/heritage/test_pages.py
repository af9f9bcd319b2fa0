"""The public pages: blocks, language switcher, sensitivity warning, consent, query counts."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from heritage.display import lunar_date_label, solar_date_label
from heritage.models import Consent, Person, RecordParticipant
from media_pipeline.models import MediaAsset
from tests.factories import make_record


def make_person(name, *, public=True):
    person = Person.objects.create(name=name, role="practitioner")
    Consent.objects.create(
        person=person,
        granted_by=name,
        covers_public_display=public,
        granted_on=datetime.date(2024, 1, 1),
    )
    return person


def make_asset(title, media_type, **fields):
    asset = MediaAsset(title=title, media_type=media_type, **fields)
    asset.file.save(f"{media_type}.bin", ContentFile(b"demo"), save=False)
    asset.save()
    return asset


@pytest.fixture
def record_with_every_block(archive):
    speaker = make_person("Nông Thị Hoa")
    image = make_asset("Ảnh cây còn", "image")
    gallery_one = make_asset("Ảnh ném còn", "image")
    gallery_two = make_asset("Ảnh kéo co", "image")
    video = make_asset("Phim rước thần", "video")
    audio = make_asset("Bản ghi hát lượn", "audio")
    document = make_asset("Biên bản điền dã", "document")
    body = [
        ("paragraph", "<p>Đoạn văn mô tả lễ hội.</p>"),
        ("image", {"asset": image, "caption": "Chú thích ảnh", "alt_text": "Cây còn"}),
        (
            "gallery",
            {
                "title": "Bộ ảnh",
                "images": [
                    {"asset": gallery_one, "caption": "", "alt_text": ""},
                    {"asset": gallery_two, "caption": "", "alt_text": ""},
                ],
            },
        ),
        ("video", {"asset": video, "caption": "Chú thích phim"}),
        ("audio", {"asset": audio, "caption": ""}),
        ("document", {"asset": document, "caption": ""}),
        (
            "oral_testimony",
            {
                "speaker": speaker,
                "recording": None,
                "language": "Tày",
                "transcript": "Lời kể của nghệ nhân.",
                "translation": "",
            },
        ),
    ]
    return make_record("Lễ hội Lồng Tồng", summary="Tóm tắt.", body=body)


def test_record_page_renders_each_block_type(client, record_with_every_block):
    body = client.get(record_with_every_block.url).content.decode()
    for text in [
        "Đoạn văn mô tả lễ hội.",
        "Chú thích ảnh",
        "Bộ ảnh",
        "Ảnh ném còn",
        "Ảnh kéo co",
        "Chú thích phim",
        "Bản ghi hát lượn",
        "Biên bản điền dã",
        "Lời kể của nghệ nhân.",
        "Nông Thị Hoa",
    ]:
        assert text in body, text


def test_hidden_media_renders_nothing_not_even_its_title(client, archive):
    informant = make_person("Giàng A Páo", public=False)
    hidden = make_asset("Lời khấn bí mật", "audio")
    hidden.people.add(informant)
    restricted = make_asset("Ảnh hạn chế", "image", access="restricted")
    shown = make_asset("Ảnh công khai", "image")
    record = make_record(
        body=[
            ("audio", {"asset": hidden, "caption": "Chú thích ẩn"}),
            ("image", {"asset": restricted, "caption": "", "alt_text": ""}),
            ("image", {"asset": shown, "caption": "", "alt_text": ""}),
            (
                "oral_testimony",
                {
                    "speaker": informant,
                    "recording": hidden,
                    "language": "",
                    "transcript": "Lời của người không đồng ý công bố.",
                    "translation": "",
                },
            ),
        ]
    )
    body = client.get(record.url).content.decode()
    assert "Ảnh công khai" in body
    for secret in ["Lời khấn bí mật", "Chú thích ẩn", "Ảnh hạn chế", "Giàng A Páo", "không đồng ý"]:
        assert secret not in body, secret


def test_media_with_its_own_warning_shows_only_after_it_is_acknowledged(client, archive):
    # A closed <details> would still load the picture: the item is not rendered until then.
    asset = make_asset("Ảnh nhà mồ", "image", sensitivity_warning="Có hình ảnh mộ.")
    record = make_record(body=[("image", {"asset": asset, "caption": "", "alt_text": ""})])
    body = client.get(record.url).content.decode()
    assert '<div class="media-gate">' in body and "Có hình ảnh mộ." in body
    assert "media-placeholder" not in body
    body = client.get(record.url, {"ack": f"media:{asset.pk}"}).content.decode()
    assert "media-placeholder" in body and "media-gate" not in body


def test_language_switcher_links_to_the_translation(client, archive):
    record = make_record("Lễ hội Lồng Tồng", summary="Tóm tắt.")
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Lồng Tồng Festival"
    english.slug = "long-tong-festival"
    english.save_revision().publish()
    english.refresh_from_db()
    vi_body = client.get(record.url).content.decode()
    assert f'href="{english.url}" hreflang="en"' in vi_body
    en_body = client.get(english.url).content.decode()
    assert f'href="{record.url}" hreflang="vi"' in en_body
    assert english.url.startswith("/en/")
    group_body = client.get("/ethnic-groups/tay/").content.decode()
    assert 'href="/en/ethnic-groups/tay/" hreflang="en"' in group_body


def test_language_switcher_falls_back_to_the_home_page(client, archive):
    record = make_record("Chỉ có tiếng Việt")
    assert 'href="/en/" hreflang="en"' in client.get(record.url).content.decode()


def test_sensitivity_warning_hides_content_until_acknowledged(client, archive):
    record = make_record(
        "Lễ bỏ mả",
        kind="custom",
        groups=("Gia Rai",),
        province="Gia Lai",
        summary="Nội dung nhạy cảm của hồ sơ.",
        sensitivity_warning="Có hình ảnh người đã khuất.",
        body=[("paragraph", "<p>Thân bài nhạy cảm.</p>")],
    )
    before = client.get(record.url).content.decode()
    assert "Có hình ảnh người đã khuất." in before
    assert 'name="ack"' in before
    assert "Nội dung nhạy cảm của hồ sơ." not in before
    assert "Thân bài nhạy cảm." not in before
    after = client.get(record.url, {"ack": "1"}).content.decode()
    assert "Nội dung nhạy cảm của hồ sơ." in after
    assert "Thân bài nhạy cảm." in after
    assert 'name="ack"' not in after


def test_people_without_public_consent_are_hidden_from_visitors(client, archive):
    record = make_record("Lễ cấp sắc", kind="custom", groups=("Dao",))
    consenting = make_person("Triệu Văn Kiềm")
    withheld = make_person("Bàn Thị Mây", public=False)
    withheld.birth_year = 1960
    withheld.save()
    RecordParticipant.objects.create(page=record, person=consenting, role="Thầy cúng")
    RecordParticipant.objects.create(page=record, person=withheld, role="Người kể")
    body = client.get(record.url).content.decode()
    assert "Triệu Văn Kiềm" in body
    assert "Bàn Thị Mây" not in body
    officer = User.objects.create_superuser("officer", password="x")
    client.force_login(officer)
    body = client.get(record.url).content.decode()
    assert "Bàn Thị Mây" in body and "1960" in body


def test_former_province_reads_as_now_part_of(client, archive):
    record = make_record("Lễ hội Xtiêng", groups=("Xtiêng",), province="Bình Phước")
    assert "Bình Phước (nay thuộc Đồng Nai)" in client.get(record.url).content.decode()
    section = client.get(record.get_parent().url).content.decode()
    assert "Bình Phước" in section and "Lễ hội Xtiêng" in section
    with translation.override("en"):
        assert record.place_label == "Binh Phuoc (now part of Dong Nai)"


def test_cite_block_has_absolute_permalink(client, archive):
    record = make_record(rights_holder="Sở Văn hóa Lạng Sơn")
    body = client.get(record.url).content.decode()
    assert f"http://testserver/r/{record.record_id}/" in body
    assert 'rel="license"' in body and "CC BY 4.0" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_query_per_record(client, archive):
    first = make_record(
        "Hồ sơ 1",
        body=[("image", {"asset": make_asset("A1", "image"), "caption": "", "alt_text": ""})],
    )
    section_url = first.get_parent().url
    counts_small = [_queries(client, u) for u in ("/", section_url, "/ethnic-groups/tay/")]
    for n in range(2, 8):
        asset = make_asset(f"A{n}", "image")
        make_record(
            f"Hồ sơ {n}",
            groups=("Tày", "Nùng"),
            body=[("image", {"asset": asset, "caption": "", "alt_text": ""})],
        )
    counts_large = [_queries(client, u) for u in ("/", section_url, "/ethnic-groups/tay/")]
    assert counts_large == counts_small
    assert max(counts_large) <= 25


@pytest.mark.parametrize(
    ("language", "args", "expected"),
    [
        ("vi", (1, 5), "Mùng 5 tháng Giêng (âm lịch)"),
        ("vi", (10, 15), "Rằm tháng Mười (âm lịch)"),
        ("vi", (12, 23), "Ngày 23 tháng Chạp (âm lịch)"),
        ("vi", (4, 1, True), "Mùng 1 tháng Tư nhuận (âm lịch)"),
        ("vi", (1, None), "Tháng Giêng (âm lịch)"),
        ("en", (1, 5), "5th day of the 1st lunar month"),
        ("en", (4, 22, True), "22nd day of the leap 4th lunar month"),
        ("en", (11, None), "11th lunar month"),
    ],
)
def test_lunar_date_labels(language, args, expected):
    with translation.override(language):
        assert lunar_date_label(*args) == expected


def test_solar_date_labels():
    with translation.override("vi"):
        assert solar_date_label(3, 15) == "Ngày 15 tháng 3 (dương lịch)"
    with translation.override("en"):
        assert solar_date_label(3, 15) == "15 March"


def test_language_groups_read_in_the_pages_language(client, archive):
    make_record("Lễ hội Ka-tê", groups=("Chăm",))
    assert "Nam Đảo" in client.get("/ethnic-groups/").content.decode()
    english = client.get("/en/ethnic-groups/").content.decode()
    assert "Austronesian" in english and "Nam Đảo" not in english
    assert "Austronesian" in client.get("/en/ethnic-groups/cham/").content.decode()
