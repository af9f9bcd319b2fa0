"""Name folding and Vietnamese dictionary order."""

from heritage.text import fold, sort_key


def test_fold_ignores_case_diacritics_and_maps_d():
    assert fold("ĐẮK  Lắk") == "dak lak"
    assert fold("M’Nông") == "m'nong"


def test_sort_key_follows_the_vietnamese_alphabet():
    names = ["Yên Bái", "Đắk Lắk", "Ê Đê", "Dao", "Ơ Đu", "Ông", "Ba Na", "Ăn", "Âu", "An"]
    assert sorted(names, key=sort_key) == [
        "An",
        "Ăn",
        "Âu",
        "Ba Na",
        "Dao",
        "Đắk Lắk",
        "Ê Đê",
        "Ông",
        "Ơ Đu",
        "Yên Bái",
    ]


def test_letters_decide_before_tones():
    # â is a letter after a, so "Tày" comes before "Tây"; tones only break ties.
    assert sorted(["Tây", "Tày", "Tà", "Ta"], key=sort_key) == ["Ta", "Tà", "Tày", "Tây"]
