"""Text normalisation shared by indexing and querying, on every search backend.

Two forms of every text are indexed and every query is turned into both:

- the *folded* form (:func:`fold`, :func:`tokens`): lower-case, no diacritics,
  đ -> d, apostrophes inside words dropped ("M'Nông" -> "mnong"). It lets
  "le hoi long tong" find "Lễ hội Lồng Tồng".
- the *exact* form (:func:`exact`, :func:`exact_tokens`): NFC, lower-case, one
  canonical tone placement, diacritics kept. Matches on it are boosted so that
  "trâu" (buffalo) ranks above "trầu" (betel) when the visitor typed the marks.

Both forms are computed in Python, so the database (SQLite FTS5, PostgreSQL,
Elasticsearch) only has to split on spaces: no tokenizer, unaccent extension or
analyser plugin decides what matches.
"""

import re
import unicodedata

__all__ = [
    "exact",
    "exact_tokens",
    "fold",
    "has_diacritics",
    "normalize_tone_placement",
    "tokens",
]

# Apostrophe look-alikes typed in names such as M'Nông, H'Mông, S'tiêng.
APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u02b9\u2032\u02bb"
_APOSTROPHE_CLASS = "[" + re.escape(APOSTROPHES) + "]"
# An apostrophe between two letters belongs to the word; elsewhere it quotes.
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])" + _APOSTROPHE_CLASS + r"(?=[^\W\d_])")
_ANY_APOSTROPHE = re.compile(_APOSTROPHE_CLASS)
_WORD = re.compile(r"[^\W_]+")
# A word in NFD text: letters and the combining marks between them.
_NFD_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# Exact-form words keep any combining mark NFC could not compose.
_EXACT_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Vietnamese tone marks (as combining characters after NFD).
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vowel-quality marks: circumflex, breve, horn. A vowel carrying one takes the tone.
_QUALITY_MARKS = {"\u0302", "\u0306", "\u031b"}
_VOWELS = set("aeiouy")
_VIETNAMESE_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ")
_FINAL_CONSONANTS = ("ch", "nh", "ng", "c", "m", "n", "p", "t")


def _clean(text):
    """Compatibility-normalise, drop control characters (NUL bytes included)."""
    if not text:
        return ""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", str(text)))


def _join_inner_apostrophes(text):
    text = _INNER_APOSTROPHE.sub("", text)
    return _ANY_APOSTROPHE.sub(" ", text)


def fold(text):
    """Return ``text`` lower-cased, without diacritics, with đ -> d.

    Works the same on NFC and NFD input. Apostrophes inside words are dropped
    ("M'Nông" and "H’Mông" -> "mnong", "hmong"), other apostrophes become
    spaces, and runs of whitespace collapse to one space.
    """
    text = normalize_tone_placement(_join_inner_apostrophes(_clean(text)))
    # đ is a letter of its own in Unicode, not d plus a mark: NFD keeps it.
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # ð (Icelandic eth) and đ look alike; visitors type either with a d key.
    stripped = stripped.replace("ð", "d")
    return " ".join(stripped.split())


def tokens(text):
    """Return the folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))


def has_diacritics(text):
    """Whether ``text`` carries any diacritic or đ (i.e. its exact form says more)."""
    text = _clean(text)
    if "đ" in text or "Đ" in text:
        return True
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text))


def _canonical_syllable(word):
    """Place the tone mark of one lower-case NFD word where the classic style puts it.

    Old ("hòa", "thủy", "khỏe") and new ("hoà", "thuỷ", "khoẻ") styles differ
    only in open syllables with two vowels; we choose the classic style, which
    official place names use (Khánh Hòa, Thanh Hóa). "quí" is respelled "quý".
    Words that do not look like one Vietnamese syllable are returned unchanged.
    """
    tones = [ch for ch in word if ch in _TONE_MARKS]
    if len(tones) > 1:
        return word
    tone = tones[0] if tones else ""
    # Letters with their quality marks, tone removed: [("a", "\u0302"), ...].
    letters = []
    for ch in word:
        if ch == tone:
            continue
        if unicodedata.combining(ch):
            if ch not in _QUALITY_MARKS or not letters:
                return word
            letters[-1] = (letters[-1][0], letters[-1][1] + ch)
        else:
            letters.append((ch, ""))
    bases = "".join(base for base, _ in letters)
    if not bases or any(base not in _VIETNAMESE_LETTERS for base in bases):
        return word

    if bases in ("qui", "quy"):
        letters = [("q", ""), ("u", ""), ("y", "")]
        bases = "quy"
        if not tone:
            return "quy"
    if not tone:
        return word

    # Skip the onset: leading consonants, plus the u of "qu" and the i of "gi"
    # when another vowel follows.
    start = 0
    while start < len(bases) and bases[start] not in _VOWELS:
        start += 1
    onset = bases[:start]
    if onset == "q" and bases[start : start + 1] == "u" and start + 1 < len(bases):
        start += 1
    elif (
        onset == "g"
        and bases[start : start + 1] == "i"
        and start + 1 < len(bases)
        and bases[start + 1] in _VOWELS
    ):
        start += 1
    end = start
    while end < len(bases) and bases[end] in _VOWELS:
        end += 1
    nucleus = range(start, end)
    coda = bases[end:]
    if not nucleus or (coda and coda not in _FINAL_CONSONANTS):
        return word

    marked = [i for i in nucleus if letters[i][1]]
    if marked:
        # "ươ" carries the tone on ơ: the last marked vowel.
        position = marked[-1]
    elif len(nucleus) == 1:
        position = start
    elif coda:
        position = end - 1
    else:
        position = end - 2
    out = []
    for i, (base, marks) in enumerate(letters):
        out.append(base + marks + (tone if i == position else ""))
    return "".join(out)


def normalize_tone_placement(text):
    """Return ``text`` in NFC with one canonical tone placement per syllable.

    "hoà" and "hòa" both become "hòa", "thuỷ" and "thủy" become "thủy",
    "quí" becomes "quý". Case is preserved; non-Vietnamese words are untouched.
    """
    text = unicodedata.normalize("NFD", _clean(text))

    def repl(match):
        word = match.group(0)
        lower = word.lower()
        canon = _canonical_syllable(lower)
        if canon == lower:
            return word
        # Re-apply the capitals of the original base letters.
        bases = [ch for ch in word if not unicodedata.combining(ch)]
        if bases and bases[0].isupper():
            canon = canon[0].upper() + canon[1:]
        if len(bases) > 1 and all(ch.isupper() for ch in bases):
            canon = canon.upper()
        return canon

    return unicodedata.normalize("NFC", _NFD_WORD.sub(repl, text))


def exact(text):
    """Return the exact form: NFC, canonical tone placement, lower-case, diacritics kept.

    Apostrophes inside words are dropped, as in :func:`fold`, so "M'Nông" ->
    "mnông" and the folded and exact forms always have the same words.
    """
    text = _join_inner_apostrophes(_clean(text))
    text = normalize_tone_placement(text).lower()
    return " ".join(unicodedata.normalize("NFC", text).split())


def exact_tokens(text):
    """Return the exact-form words of ``text``, one for each word of :func:`tokens`."""
    return _EXACT_WORD.findall(exact(text))
