"""Loads the 54 ethnic groups and the 34 current + 63 former provinces from heritage/data/."""

import csv
from pathlib import Path

from django.utils.text import slugify

from search.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# English names where the usual one is not simply the name without diacritics.
PROVINCE_NAMES_EN = {
    "Hà Nội": "Hanoi",
    "Huế": "Hue",
    "Thành phố Hồ Chí Minh": "Ho Chi Minh City",
    "Thừa Thiên Huế": "Thua Thien Hue",
}


def read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _english(name_vi):
    return PROVINCE_NAMES_EN.get(name_vi) or fold(name_vi).title().replace(" - ", "-")


def load_ethnic_groups(EthnicGroup):
    for row in read_csv("ethnic_groups.csv"):
        others = [n.strip() for n in row["other_names"].split(";") if n.strip()]
        EthnicGroup.objects.update_or_create(
            name_vi=row["name_vi"],
            defaults={
                "name_en": row["name_en"],
                "slug": slugify(fold(row["name_vi"])),
                "language_group": row["language_group"],
                "other_names": others,
            },
        )


def load_provinces(Province):
    for row in read_csv("provinces.csv"):
        name = row["province"]
        current, _ = Province.objects.update_or_create(
            name_vi=name,
            defaults={
                "name_en": _english(name),
                "slug": slugify(fold(name)),
                "kind": row["type"],
                "is_current": True,
                "current": None,
            },
        )
        for former in row["merged_from"].split(";"):
            former = former.strip()
            if former and former != name:
                Province.objects.update_or_create(
                    name_vi=former,
                    defaults={
                        "name_en": _english(former),
                        "slug": slugify(fold(former)) + "-former",
                        "is_current": False,
                        "current": current,
                    },
                )
