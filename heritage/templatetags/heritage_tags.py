"""Template helpers for the public site: language links, media visibility, citations."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.models import Page

from heritage import sensitivity
from heritage.access import user_is_officer
from heritage.geo import public_coordinates
from heritage.models import HomePage, RecordPage
from heritage.permissions import person_policy
from heritage.text import in_dictionary_order

register = template.Library()


@register.filter
def dictionary_order(items):
    """Ethnic groups or provinces in Vietnamese dictionary order of their shown names."""
    return in_dictionary_order(items)


def _translations(page, user):
    """Live translations of ``page`` the user may see, by language code."""
    if isinstance(page, RecordPage):
        pages = RecordPage.objects.visible_to(user).filter(translation_key=page.translation_key)
    else:
        pages = Page.objects.live().filter(translation_key=page.translation_key)
    return {p.locale.language_code: p for p in pages.select_related("locale")}


def _home_url(language_code, request):
    home = HomePage.objects.live().filter(locale__language_code=language_code).first()
    return home.get_url(request) if home else "/"


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per site language to this page's translation (else that language's home page).

    Wagtail pages link through their translations; other views (ethnic
    groups, search) through Django's ``translate_url``.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    # Error pages link to the home pages only, so a hidden record's 404 is
    # byte-for-byte the same as a missing one's.
    is_error_page = "exception" in context
    translations = {}
    if isinstance(page, Page) and request is not None:
        translations = _translations(page, request.user)
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            target = translations.get(code)
            url = target.get_url(request) if target else _home_url(code, request)
        elif request is not None and not is_error_page:
            url = translate_url(request.get_full_path(), code)
        else:
            url = _home_url(code, request)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def visible_asset(context, asset):
    """``asset`` if the visitor may see it (it is among the page's media_items), else None.

    The page's ``media_items`` queryset is evaluated once and reused by every block.
    """
    if asset is None:
        return None
    visible = context.get("media_items")
    if visible is None:
        return None
    for item in visible:
        if item.pk == asset.pk:
            return item
    return None


@register.simple_tag(takes_context=True)
def extra_media(context, page):
    """The page's visible media that its body does not already show."""
    shown = page.body_asset_ids
    return [item for item in context.get("media_items") or [] if item.pk not in shown]


@register.simple_tag(takes_context=True)
def may_show_person(context, person):
    """Officers see everyone; visitors only people with a valid public-display consent."""
    if person is None:
        return False
    request = context.get("request")
    if request is not None and user_is_officer(request.user):
        return True
    return person.has_public_display_consent()


@register.simple_tag(takes_context=True)
def people_with_details_shown(context, participants):
    """Ids of the participants' people whose personal details the officer may read.

    Their own teams' people only (superusers: everyone's): officers of other
    provinces see the names and roles, as on a restricted record they may read.
    """
    request = context.get("request")
    if request is None:
        return set()
    people = person_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])
    ids = [participant.person_id for participant in participants]
    return set(people.filter(pk__in=ids).values_list("pk", flat=True))


def _page_record_id(context):
    page = context.get("page")
    return getattr(page, "record_id", None)


@register.simple_tag(takes_context=True)
def sensitivity_acknowledged(context):
    """True once the visitor has acknowledged this record's warning (in any language)."""
    record_id = _page_record_id(context)
    return bool(record_id) and record_id in sensitivity.acknowledged(
        context.get("request"), record_id
    )


@register.simple_tag(takes_context=True)
def record_gated(context, record):
    """True while a record's sensitivity warning stands between the visitor and its media.

    Cards, search hits and lists then show the warning's mark instead of
    the record's picture: its bytes are not even referenced.
    """
    if not record.sensitivity_warning:
        return False
    return record.record_id not in sensitivity.acknowledged(
        context.get("request"), _page_record_id(context)
    )


@register.simple_tag(takes_context=True)
def asset_gated(context, asset):
    """True while a media item's own sensitivity warning is not acknowledged."""
    if not asset.sensitivity_warning:
        return False
    return sensitivity.media_key(asset) not in sensitivity.acknowledged(
        context.get("request"), _page_record_id(context)
    )


@register.simple_tag
def ack_value(asset):
    """The ``?ack=`` value that acknowledges this media item's warning."""
    return sensitivity.media_key(asset)


@register.simple_tag(takes_context=True)
def media_scripts(context):
    """The player scripts this page needs: none without playable media or images.

    (video/audio) -> the player; images -> the lightbox.
    """
    types = {item.media_type for item in context.get("media_items") or []}
    return {"player": bool(types & {"video", "audio"}), "lightbox": "image" in types}


@register.simple_tag(takes_context=True)
def permalink_url(context, page):
    """Absolute permalink (/r/<record_id>/) in the active language."""
    path = reverse("record_permalink", args=[page.record_id])
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag
def search_url():
    """The search page in the active language (the search app owns the view)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
    return f"{prefix}/search/"


@register.simple_tag
def home_url():
    code = translation.get_language() or settings.LANGUAGE_CODE
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


@register.simple_tag(takes_context=True)
def visible_gallery(context, items):
    """(item, asset) for each gallery item whose asset the visitor may see."""
    pairs = []
    for item in items:
        asset = visible_asset(context, item["asset"])
        if asset is not None:
            pairs.append((item, asset))
    return pairs


@register.simple_tag
def public_location(record):
    """The record's coordinates as visitors may see them (``heritage.geo``), or None."""
    return public_coordinates(record)


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context, lang_links):
    """The <head> lines for search engines and link previews (heritage/sharing.py).

    Absolute hreflang links to each language (and x-default, the Vietnamese
    page), a meta description, OpenGraph and, on a public record, JSON-LD.
    Error pages and restricted records ask not to be indexed and say nothing more.
    """
    from django.utils.translation import gettext

    from heritage import sharing

    request = context.get("request")
    page = context.get("page")
    if request is None or "exception" in context:
        return {"noindex": True}
    if isinstance(page, RecordPage) and page.is_restricted:
        return {"noindex": True}
    absolute = request.build_absolute_uri
    alternates = [(link["code"], absolute(link["url"])) for link in lang_links]
    current = next((url for code, url in alternates if code == translation.get_language()), "")
    default = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), current)
    description = sharing.page_description(page) if isinstance(page, Page) else ""
    description = description or gettext(
        "An archive of the festivals, rituals and crafts of Vietnam's ethnic minorities, "
        "recorded with their communities by provincial cultural officers."
    )
    meta = {
        "alternates": alternates,
        "x_default": default,
        "canonical": current,
        "description": description,
        "og_locale": sharing.OG_LOCALES.get(translation.get_language(), ""),
        "og_locale_alternates": [
            sharing.OG_LOCALES[code]
            for code, _url in alternates
            if code != translation.get_language() and code in sharing.OG_LOCALES
        ],
    }
    if isinstance(page, Page):
        meta["title"] = page.seo_title or page.title
        meta["og_type"] = "article" if isinstance(page, RecordPage) else "website"
    if isinstance(page, RecordPage):
        image = sharing.preview_image_url(page, context.get("media_items"))
        meta["image"] = absolute(image) if image else ""
        meta["json_ld"] = sharing.json_ld_text(sharing.record_json_ld(page, current, meta["image"]))
    return meta


@register.simple_tag(takes_context=True)
def related_records(context, page):
    """Up to six records the visitor may see that share a group, province or season with it."""
    from heritage.related import related_records as find_related

    request = context.get("request")
    if request is None:
        return []
    return find_related(page, request.user)


@register.simple_tag
def next_festival_day(page):
    """The next day a record is held, and its month in the festival calendar."""
    from heritage.festival_calendar import next_day

    day = next_day(page)
    if day is None:
        return None
    return {
        "day": day,
        "calendar_url": reverse("festival_calendar_month", args=[day.year, day.month]),
    }
