"""The relevance corpus (starter set + our extra cases) loaded as real, published records."""

import json
import unicodedata
from pathlib import Path

from wagtail.models import Locale
from wagtail.rich_text import RichText

from heritage.curation import set_up_archive
from heritage.models import EthnicGroup, Province
from search import documents
from tests.factories import make_record

DATA = Path(__file__).parent / "data"

# Where each record was recorded (as recorded: former provinces included).
PROVINCES = {
    "longtong": "Tuyên Quang",
    "luamoi": "Đắk Nông",
    "okombok": "Sóc Trăng",
    "capsac": "Lào Cai",
    "gautao": "Hà Giang",
    "damtrau": "Gia Lai",
    "bennuoc": "Đắk Lắk",
    "congchieng": "Gia Lai",
    "denhung": "Phú Thọ",
    "chuahuong": "Hà Nội",
    "katê": "Ninh Thuận",
    "trau_cau": "Hà Nội",
    "hoabinh": "Hòa Bình",
    "nfd_longtong": "Bắc Kạn",
    "hatthen": "Lạng Sơn",
    "thehien": "Bình Phước",
    "cuoi_nung": "Lạng Sơn",
    "nha_moi": "Đắk Lắk",
    "xen_ban": "Sơn La",
}
# English documents are the English translations of these Vietnamese records.
TRANSLATION_OF = {
    "en_gong": "congchieng",
    "en_buffalo": "damtrau",
    "en_newrice": "luamoi",
    "en_gautao": "gautao",
    "en_thehien": "thehien",
    "en_trau_cau": "trau_cau",
}


def load_sets():
    starter = json.loads((DATA / "search_relevance_starter.json").read_text("utf-8"))
    extra = json.loads((DATA / "search_relevance_extra.json").read_text("utf-8"))
    corpus = starter["corpus"] + extra["corpus"]
    cases = [c for c in starter["tests"] if c.get("measured", True)] + extra["tests"]
    return corpus, cases


def record_key(slug):
    """The Vietnamese record a corpus slug stands for (translations share it)."""
    return TRANSLATION_OF.get(slug, slug)


def load_corpus(corpus):
    """Create the corpus as published records; returns {record_id: record slug}."""
    needed = {Province.objects.get(name_vi=name).current_unit for name in PROVINCES.values()}
    set_up_archive(provinces=sorted(needed, key=lambda p: p.name_vi))
    en = Locale.objects.get(language_code="en")
    pages = {}
    for doc in corpus:
        if doc["language"] != "vi":
            continue
        title, summary = doc["title"], doc["description"]
        if doc["slug"] == "nfd_longtong":
            title = unicodedata.normalize("NFD", title)
            summary = unicodedata.normalize("NFD", summary)
        groups = ()
        if doc["ethnic_group"]:
            group, reason = EthnicGroup.objects.resolve(doc["ethnic_group"])
            assert group is not None, reason
            groups = (group.name_vi,)
        body = [("paragraph", RichText(f"<p>{doc['body']}</p>"))] if doc.get("body") else []
        page = make_record(
            title,
            groups=groups,
            province=PROVINCES[doc["slug"]],
            summary=summary,
            native_name=doc.get("native_name", ""),
            body=body,
            lunar_month=1 + len(pages) % 12,
        )
        if doc.get("keywords"):
            page.keywords.add(*doc["keywords"])
            page.save_revision().publish()
        pages[doc["slug"]] = page
    for doc in corpus:
        if doc["language"] != "en":
            continue
        source = pages[TRANSLATION_OF[doc["slug"]]]
        translation = source.specific.copy_for_translation(en)
        translation.title = doc["title"]
        translation.summary = doc["description"]
        translation.slug = doc["slug"].replace("_", "-")
        translation.save_revision().publish()
    documents.rebuild()
    return {page.record_id: slug for slug, page in pages.items()}
