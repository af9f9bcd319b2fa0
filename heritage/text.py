"""Name matching that ignores case and Vietnamese diacritics.

Used to resolve ethnic-group and province names typed in field-survey
sheets. Search has its own, richer folding in ``search.text``.
"""

import unicodedata


def fold(text):
    """Lower-case ``text`` and strip diacritics, mapping đ to d.

    "Đắk Nông" -> "dak nong"; "M'Nông" -> "m'nong".
    """
    # đ is a letter of its own in Unicode, not d plus a mark: NFD keeps it.
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    stripped = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(stripped.replace("\u2019", "'").split())
