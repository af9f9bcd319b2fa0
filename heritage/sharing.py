"""What a page tells search engines and link previews: its description, OpenGraph, JSON-LD.

Only what any visitor may see leaves here: a restricted record gets none
of it (an officer reading one gets ``noindex``), and a sensitive image is
never a preview.
Coordinates are left out of JSON-LD until one helper sets their precision
(``heritage/geo.py``); the place is given by its names.
"""

import json

from django.utils.html import strip_tags
from django.utils.text import Truncator

from heritage.templatetags.media_tags import rendition_url

DESCRIPTION_CHARS = 160
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
# As django.utils.html.json_script: nothing in the data can end the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def page_description(page):
    """The page's search description, else its summary or intro, as one line of ≤160 chars.

    A record behind a sensitivity warning is described by its warning: what
    it shows stays on the page, behind the visitor's acknowledgement.
    """
    text = (
        getattr(page, "sensitivity_warning", "")
        or getattr(page, "search_description", "")
        or getattr(page, "summary", "")
        or getattr(page, "intro", "")
    )
    return Truncator(" ".join(strip_tags(text or "").split())).chars(DESCRIPTION_CHARS)


def preview_image_url(page, media_items):
    """The first visible photo of a record to show in link previews, or "".

    ``media_items`` are the media the visitor may see; nothing behind a
    sensitivity warning (the record's or the photo's) is shown outside the page.
    """
    if not media_items or getattr(page, "sensitivity_warning", ""):
        return ""
    for asset in media_items:
        if asset.media_type == "image" and not asset.sensitivity_warning:
            url = rendition_url(asset, "image")
            if url:
                return url
    return ""


def _place(page):
    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    if page.province_id:
        address["addressRegion"] = page.province.display_name
    if page.locality:
        address["addressLocality"] = page.locality
    return {"@type": "Place", "name": page.place_label, "address": address}


def record_json_ld(page, url, image_url=""):
    """schema.org data for a public record: an Event (festival) or a CreativeWork (custom)."""
    is_festival = page.kind == "festival"
    groups = [group.display_name for group in page.ethnic_groups.all()]
    data = {
        "@context": "https://schema.org",
        "@type": "Event" if is_festival else "CreativeWork",
        "@id": url,
        "url": url,
        "name": page.title,
        "identifier": page.record_id,
        "inLanguage": page.locale.language_code,
        "license": page.licence,
        "isAccessibleForFree": True,
    }
    if page.native_name:
        data["alternateName"] = page.native_name
    description = page.sensitivity_warning or page.summary
    if description:
        data["description"] = description
    keywords = [tag.name for tag in page.keywords.all()] + groups
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if groups:
        data["about"] = [{"@type": "Thing", "name": name} for name in groups]
    if page.rights_holder:
        data["copyrightHolder"] = {"@type": "Organization", "name": page.rights_holder}
    if image_url:
        data["image"] = image_url
    if is_festival:
        data["location"] = _place(page)
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        dated = [e for e in page.specific.editions.all() if e.start_date]
        if dated:
            latest = max(dated, key=lambda edition: edition.start_date)
            data["startDate"] = latest.start_date.isoformat()
            if latest.end_date:
                data["endDate"] = latest.end_date.isoformat()
    else:
        data["contentLocation"] = _place(page)
        data["genre"] = str(page.kind_label)
    return data


def json_ld_text(data):
    """JSON for a ``<script type="application/ld+json">`` element, safe inside HTML."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_SCRIPT_ESCAPES)
