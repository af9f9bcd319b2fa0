"""The admin's form for records: what it fills in so a newcomer's first save works."""

from collections import defaultdict

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput

from search.text import fold


def _slug_formatters():
    """Regex replacements that make the browser's slug what ``fold`` makes on the server.

    Wagtail's slug script drops Vietnamese vowels with tone marks and turns
    "Đ" into "dj" ("Lễ hội Đồng" -> "l-hi-djng"); these run before it.
    """
    letters = defaultdict(str)
    for code in range(0xC0, 0x1EFF + 1):
        char = chr(code)
        base = fold(char)
        if char.isalpha() and len(base) == 1 and base.isascii() and base != char:
            letters[base] += char
    return [
        *((f"[{chars}]", base) for base, chars in sorted(letters.items())),
        (r"(?<=\w)['’ʼ](?=\w)", ""),  # "H'Mông" -> "hmong", as fold does
        (r"[^\w\s-]+", " "),
        (r"^[\s-]+|[\s-]+$", ""),
        (r"[\s-]+", " "),
    ]


SLUG_FORMATTERS = _slug_formatters()


class RecordPageForm(WagtailAdminPageForm):
    """A record's edit form.

    The slug lives on the promote tab, which a newcomer never opens: the
    title fills it as they type (``TitleFieldPanel``), and an empty slug is
    made from the title on save, so it is never an error they cannot see.
    A new record's province is the one of the section it is created under.
    """

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].widget = SlugInput(formatters=SLUG_FORMATTERS)
        section_province = getattr(getattr(parent_page, "specific", None), "province", None)
        if (
            self.instance._state.adding
            and section_province
            and "province_as_recorded" in self.fields
            and self.initial.get("province_as_recorded") is None
        ):
            self.initial["province_as_recorded"] = section_province.pk

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("slug") and cleaned_data.get("title") and self.parent_page:
            self.instance.title = cleaned_data["title"]
            cleaned_data["slug"] = self.instance.slug_from_title(self.parent_page)
        return cleaned_data
