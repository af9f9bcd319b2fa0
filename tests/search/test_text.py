"""The text forms shared by indexing and querying (search.text)."""

import unicodedata

import pytest

from search.text import (
    exact,
    exact_tokens,
    fold,
    has_diacritics,
    normalize_tone_placement,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lễ hội Lồng Tồng", "le hoi long tong"),
        ("Đâm Trâu", "dam trau"),
        ("đ Đ d D", "d d d d"),
        ("M'Nông", "mnong"),
        ("H’Mông", "hmong"),
        ("Hʼmông", "hmong"),
        ("S‘tiêng", "stieng"),
        ("  CỒNG\t\nchiêng  ", "cong chieng"),
        ("Ê Đê", "e de"),
        ("người Mường", "nguoi muong"),
        ("quí", "quy"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_the_same_on_nfc_and_nfd():
    text = "Lễ hội Lồng Tồng ở Bắc Kạn; Đắk Lắk; ươ ỗ ặ"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
    assert exact(unicodedata.normalize("NFD", text)) == exact(text)


def test_fold_quotes_outside_words_become_spaces():
    assert fold("'Then' and ‘gongs’") == "then and gongs"


def test_fold_survives_hostile_input():
    assert fold("a\x00b") == "a b"
    assert fold(None) == ""
    assert fold("") == ""
    assert tokens('"unbalanced \\ * title:x 😀') == ["unbalanced", "title", "x"]
    assert len(tokens("trâu " * 5000)) == 5000


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("quí", "quý"), ("Hoà Bình", "Hòa Bình")],
)
def test_tone_placement_styles_meet(old, new):
    assert normalize_tone_placement(old) == normalize_tone_placement(new)
    assert exact_tokens(old) == exact_tokens(new)
    assert fold(old) == fold(new)


@pytest.mark.parametrize(
    "word",
    ["hoàng", "thuyền", "người", "giá", "gì", "quốc", "mía", "múa", "cháu", "hoài", "giường"],
)
def test_tone_placement_keeps_standard_spellings(word):
    assert normalize_tone_placement(word) == word


def test_tone_placement_keeps_case_and_foreign_words():
    assert normalize_tone_placement("HOÀ Hoà") == "HÒA Hòa"
    assert normalize_tone_placement("café naïve") == "café naïve"


def test_exact_form_keeps_diacritics_and_drops_inner_apostrophes():
    assert exact_tokens("Trâu, trầu; ĐÂM") == ["trâu", "trầu", "đâm"]
    assert exact_tokens("M'Nông") == ["mnông"]


def test_exact_and_folded_words_line_up():
    text = "Lễ hội Katê của đồng bào Chăm Bà-la-môn, M'nông (2005)"
    assert [fold(word) for word in exact_tokens(text)] == tokens(text)


def test_has_diacritics():
    assert has_diacritics("trâu")
    assert has_diacritics("Đ")
    assert not has_diacritics("trau D")
