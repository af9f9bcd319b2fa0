"""Rich text from outside the editor (imports), held to the editor's own rules."""

from functools import cache

from bs4 import BeautifulSoup

from heritage.blocks import PARAGRAPH_FEATURES


@cache
def _paragraph_converter():
    # Imported late: the converter module loads the Page model.
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
    from wagtail.whitelist import allow_without_attributes

    converter = EditorHTMLConverter(features=PARAGRAPH_FEATURES)
    # Draftail's blockquote feature brings no rule for this whitelister.
    converter.whitelister.element_rules.setdefault("blockquote", allow_without_attributes)
    return converter


def _canonical(html):
    """``html`` parsed and written back with sorted attributes, to compare meaning."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        tag.attrs = dict(sorted(tag.attrs.items()))
    return str(soup)


def clean_rich_text(html):
    """Stored rich text as the editor itself would store it: only the paragraph
    features' elements and attributes survive (no script, event handlers or
    ``javascript:`` links).

    The stored form is first expanded to the editor's form so internal page and
    document links keep their link type through Wagtail's whitelister. Text
    that was already clean is returned as given (the whitelister reorders
    attributes), so an export re-imports unchanged.
    """
    converter = _paragraph_converter()
    cleaned = converter.to_database_format(converter.from_database_format(html))
    return html if _canonical(cleaned) == _canonical(html) else cleaned


def clean_body(body):
    """A body's stream data with every paragraph's rich text cleaned."""
    return [
        {**block, "value": clean_rich_text(str(block["value"] or ""))}
        if block["type"] == "paragraph"
        else block
        for block in body
    ]
