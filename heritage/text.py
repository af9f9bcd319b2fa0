"""Vietnamese dictionary order for names listed to visitors (groups, provinces).

Folding (case, diacritics, đ, apostrophes) is ``search.text.fold``: the one
fold that slugs, stored file names, name matching and search share.
"""

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Marks that make a letter of their own (ă â ê ô ơ ư), as opposed to tones.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def sort_key(text):
    """Vietnamese dictionary order: a < ă < â < b … d < đ < e < ê …; tones only break ties.

    Python's default order puts "Đắk Lắk" after "Yên Bái".
    """
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.strip().lower()):
        if char in _TONES:
            tones.append(_TONES[char])
        elif letters and (letters[-1], char) in _LETTER_MARKS:
            letters[-1] = _LETTER_MARKS[(letters[-1], char)]
        elif not unicodedata.combining(char):
            letters.append(char)
    ranks = [_ALPHABET.index(c) if c in _ALPHABET else 100 + ord(c) for c in letters]
    return ranks, tones


def in_dictionary_order(items, name=lambda item: item.display_name):
    """``items`` (ethnic groups, provinces, …) sorted by ``sort_key`` of their shown name.

    The one order for every list of names a visitor reads: group index, home
    page, record pages, cards, search results and facets.
    """
    return sorted(items, key=lambda item: sort_key(str(name(item))))
