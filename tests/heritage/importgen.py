"""Generated field-survey sheets for the import tests and the benchmark."""

import csv
import random

from heritage.importing.values import COLUMNS

FESTIVALS = [
    ("Lễ hội Lồng Tồng", "Long Tong Festival", "Lồng Tồng"),
    ("Lễ cấp sắc", "Initiation Ceremony", "Cấp sắc"),
    ("Lễ hội Gầu Tào", "Gau Tao Festival", "Gầu Tào"),
    ("Lễ mừng lúa mới", "New Rice Festival", "Cơm mới"),
    ("Lễ cúng rừng", "Forest Worship Ceremony", "Cúng rừng"),
    ("Lễ hội Xuống đồng", "Going to the Fields Festival", "Lồng Tồng"),
    ("Lễ bỏ mả", "Grave Abandonment Ceremony", "Pơ thi"),
    ("Lễ hội Ok Om Bok", "Ok Om Bok Festival", "Ok Om Bok"),
    ("Lễ cầu mùa", "Prayer for a Good Harvest", "Cầu mùa"),
    ("Hội Xòe", "Xoe Dance Gathering", "Xòe"),
]
GROUPS = [
    "Tày",
    "Nùng",
    "H'Mông",
    "Dao",
    "Thái",
    "Mường",
    "Khmer",
    "Ê Đê",
    "Gia Rai",
    "Ba Na",
    "Sán Dìu",
    "Sán Chay",
    "Giáy",
    "Lô Lô",
    "Hà Nhì",
    "Phù Lá",
    "La Chí",
    "Pà Thẻn",
    "Xơ Đăng",
    "Mnông",
]
SENTENCES = [
    "Lễ hội được tổ chức vào mùa xuân, sau Tết Nguyên đán, tại bãi đất rộng đầu bản.",
    "Thầy cúng đọc lời khấn mời các vị thần về chứng giám và phù hộ cho dân làng.",
    "Người dân mặc trang phục truyền thống, mang theo xôi ngũ sắc và rượu cần.",
    "Các trò chơi dân gian như ném còn, kéo co, đánh quay thu hút đông đảo thanh niên.",
    "Tiếng cồng chiêng vang lên suốt đêm quanh đống lửa giữa nhà rông.",
    "Nghi lễ thể hiện ước vọng mưa thuận gió hòa, mùa màng bội thu, <bản làng> & an vui.",
]
EN_SENTENCES = [
    "The festival takes place in spring, after the Lunar New Year, on open ground.",
    "The shaman recites prayers inviting the spirits to witness and protect the village.",
    "Villagers wear traditional dress and bring five-colour sticky rice and jar wine.",
]
DOMAINS = [
    "oral_traditions",
    "performing_arts",
    "social_practices",
    "nature_knowledge",
    "craftsmanship",
]
LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "InC"]


def make_row(index, province, rng, *, english=True):
    title, title_en, native = FESTIVALS[index % len(FESTIVALS)]
    groups = rng.sample(GROUPS, rng.choice([1, 1, 2]))
    periodic = index % 7 == 0
    paragraphs = ["\n".join(rng.sample(SENTENCES, 2)) for _ in range(rng.choice([1, 2, 3]))]
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        record_id=f"vh-test{index:05d}",
        kind="festival" if index % 3 else "custom",
        title_vi=f"{title} {index}",
        native_name=native,
        ethnic_groups=";".join(groups),
        province=province,
        locality=f"Xã Thượng Lâm, thôn {index % 40 + 1}",
        latitude=f"{21 + rng.random():.6f}",
        longitude=f"{105 + rng.random():.6f}",
        lunar_month=str(rng.randint(1, 12)),
        lunar_day=str(rng.randint(1, 30)),
        lunar_leap="0",
        recurrence="periodic" if periodic else "annual",
        recurrence_years="3" if periodic else "",
        reference_year="2022" if periodic else "",
        ich_domain=rng.choice(DOMAINS),
        summary_vi=rng.choice(SENTENCES),
        description_vi="\n\n".join(paragraphs),
        keywords=";".join(
            rng.sample(
                ["cồng chiêng", "nông nghiệp", "tín ngưỡng", "múa", "ẩm thực", "trò chơi dân gian"],
                2,
            )
        ),
        licence=rng.choice(LICENCES),
        rights_holder="Sở Văn hóa, Thể thao và Du lịch",
        access="restricted" if index % 25 == 0 else "public",
        recorded_by="Nguyễn Thị Hoa",
        recorded_on=f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
    )
    if english:
        row.update(
            title_en=f"{title_en} {index}",
            summary_en=rng.choice(EN_SENTENCES),
            description_en="\n\n".join(rng.sample(EN_SENTENCES, 2)),
        )
    return row


def make_rows(count, provinces, *, seed=1, english=True):
    rng = random.Random(seed)
    return [make_row(i, provinces[i % len(provinces)], rng, english=english) for i in range(count)]


def write_csv(path, rows, columns=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, columns=COLUMNS):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    workbook.save(path)
    return path
