"""Parsing a search request: the same form serves the HTML page and the JSON API."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from heritage.media import RECORD_MEDIA_TYPES
from search.query import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, SearchParams

MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # the largest primary key (PostgreSQL integer); beyond it SQLite overflows


class IntegerListField(forms.Field):
    """Repeated integer parameters (``?province=3&province=7``)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value):
        values = []
        for item in value or []:
            item = str(item).strip()
            if not item:
                continue
            try:
                number = int(item)
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a whole number."), params={"value": item[:20]}
                ) from None
            if (self.min_value is not None and number < self.min_value) or (
                self.max_value is not None and number > self.max_value
            ):
                raise forms.ValidationError(
                    _("%(value)s is out of range."), params={"value": number}
                )
            values.append(number)
        return values[:50]


class QueryField(forms.CharField):
    """The visitor's words: NUL bytes become spaces and long pastes are cut, never refused."""

    def to_python(self, value):
        value = super().to_python((value or "").replace("\x00", " "))
        return value[:MAX_QUERY_CHARS]


class SearchForm(forms.Form):
    q = QueryField(required=False, strip=True, label=_("Search"))
    ethnic_group = IntegerListField(min_value=1, max_value=MAX_ID, label=_("Ethnic group"))
    province = IntegerListField(min_value=1, max_value=MAX_ID, label=_("Province"))
    kind = forms.MultipleChoiceField(
        required=False,
        choices=[("festival", _("festival")), ("custom", _("custom"))],
        label=_("Kind of record"),
    )
    lunar_month = IntegerListField(min_value=1, max_value=12, label=_("Lunar month"))
    media = forms.MultipleChoiceField(
        required=False, choices=RECORD_MEDIA_TYPES, label=_("Media type")
    )
    language = forms.MultipleChoiceField(
        required=False, choices=settings.LANGUAGES, label=_("Language")
    )
    lang = forms.ChoiceField(required=False, choices=settings.LANGUAGES)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("title", _("Title")),
            ("lunar_month", _("Lunar month")),
        ],
        label=_("Sort by"),
    )
    op = forms.ChoiceField(required=False, choices=[("and", "and"), ("or", "or")])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1)

    def clean_page_size(self):
        size = self.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE
        return min(size, MAX_PAGE_SIZE)

    def to_params(self, lang=""):
        """The validated request as :class:`search.query.SearchParams`."""
        data = self.cleaned_data
        return SearchParams(
            q=data.get("q", ""),
            lang=data.get("lang") or lang,
            ethnic_group=data.get("ethnic_group") or [],
            province=data.get("province") or [],
            kind=data.get("kind") or [],
            lunar_month=data.get("lunar_month") or [],
            media_type=data.get("media") or [],
            language=data.get("language") or [],
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
            operator=data.get("op") or "and",
        )
