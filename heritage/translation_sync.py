"""A record's shared facts, kept in step between its languages.

A record and its translation are two pages (one ``translation_key``). Facts
that do not depend on the language (the import's shared fields, the
province, the ethnic groups, who may see it, the media and their order) are
entered once, on the Vietnamese page: the translation shows them read-only
(``heritage.forms.RecordPageForm``). When either language is published, its
facts are copied into the other language's latest revision as a new draft,
logged as ``heritage.shared_facts_synced``; the other language is never
published by it, and a draft is not a publish, so nothing echoes back.

The Vietnamese page's own unpublished changes win: a published translation
copies a fact into it only where its draft still holds its live value, so an
officer's pending edit of a fact is never undone by the other language.

Who recorded it and who holds the rights (``LANGUAGE_FIELDS``) are not shared:
each language names them in its own words, and a sync never touches them.

Media captions are language-specific: the translation keeps its captions,
and a newly linked item arrives with the other language's caption, as a
translation's first copy does, for the translator to rewrite.
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.log_actions import LogFormatter, log

from heritage.importing.values import SHARED_FIELDS, normalise_body

SHARED_FACT_FIELDS = [*SHARED_FIELDS, "province_as_recorded"]
SHARED_FACT_RELATIONS = ["ethnic_groups", "allowed_groups"]
MEDIA = "media_links"
SHARED_FACTS = [*SHARED_FACT_FIELDS, *SHARED_FACT_RELATIONS, MEDIA]
# Written again by the translator; marked on the translation while they still equal the source's.
TRANSLATED_TEXTS = ["title", "summary", "body"]

SYNC_ACTION = "heritage.shared_facts_synced"


class SharedFactsSynced(LogFormatter):
    label = _("Shared facts copied from the other language")

    def format_message(self, log_entry):
        source = (log_entry.data or {}).get("source_language", "")
        return _("Shared facts copied from the %(language)s version") % {
            "language": language_name(source)
        }


def language_name(language_code):
    """The name of a record's language, in the officer's language ("tiếng Anh")."""
    names = {
        "vi": pgettext_lazy("record language", "Vietnamese"),
        "en": pgettext_lazy("record language", "English"),
    }
    return names.get(language_code, language_code)


def default_language():
    return settings.LANGUAGE_CODE.split("-")[0]


def source_of(page):
    """The default-language page ``page`` translates, else None (``page`` is the source)."""
    if page.pk is None or page.locale.language_code == default_language():
        return None
    return (
        page.get_translations().filter(locale__language_code=default_language()).specific().first()
    )


def media_order(page):
    return sorted(page.media_links.all(), key=lambda link: link.sort_order or 0)


def shared_facts(page):
    """Each shared fact of ``page`` (a page or a revision's object) as a comparable value."""
    facts = {
        name: page._meta.get_field(name).value_from_object(page) for name in SHARED_FACT_FIELDS
    }
    for name in SHARED_FACT_RELATIONS:
        facts[name] = tuple(sorted(item.pk for item in getattr(page, name).all()))
    facts[MEDIA] = tuple(link.asset_id for link in media_order(page))
    return facts


def copy_shared_facts(source, target, names=SHARED_FACTS):
    """Set ``names`` of ``target`` (in memory) to ``source``'s; the media keep target's captions."""
    for name in names:
        if name in SHARED_FACT_FIELDS:
            field = target._meta.get_field(name)
            setattr(target, field.attname, field.value_from_object(source))
        elif name in SHARED_FACT_RELATIONS:
            getattr(target, name).set(list(getattr(source, name).all()))
    if MEDIA in names:
        target.media_links = media_in_order_of(source, target)


def media_in_order_of(source, target):
    """``target``'s media links rearranged as ``source``'s: its own captions, new ones copied."""
    from heritage.models import RecordMedia

    own = {link.asset_id: link for link in target.media_links.all()}
    links = []
    for order, link in enumerate(media_order(source)):
        kept = own.get(link.asset_id) or RecordMedia(asset_id=link.asset_id, caption=link.caption)
        kept.sort_order = order
        links.append(kept)
    return links


def facts_to_copy(source, target):
    """The shared facts ``target``'s latest revision should take from ``source`` (published).

    A translation takes every fact that differs. The source language takes a
    fact only where its draft holds its live value: an unpublished edit of
    its own is newer than what the translation was given.
    """
    theirs = shared_facts(source)
    draft = target.get_latest_revision_as_object()
    mine = shared_facts(draft)
    differing = [name for name in SHARED_FACTS if theirs[name] != mine[name]]
    if source_of(target) is not None or not differing:
        return draft, differing
    if not target.live:
        return draft, []
    live = shared_facts(target)
    return draft, [name for name in differing if mine[name] == live[name]]


def sync_shared_facts(page, revision):
    """Copy the published ``revision`` of ``page``'s shared facts into each other language.

    Each translation whose latest revision differs gets a new draft revision
    (logged, by the archive itself: ``user=None``); one under review stays
    under review, and its reviewer's approval publishes the latest revision,
    facts included. Returns the pages written to.
    """
    source = revision.as_object()
    written = []
    for target in page.get_translations().specific():
        draft, names = facts_to_copy(source, target)
        if not names:
            continue
        copy_shared_facts(source, draft, names)
        # The values were valid on the published page; the draft's own texts
        # may be unfinished, which a draft is allowed to be.
        written_revision = draft.save_revision(user=None, clean=False)
        log(
            instance=draft,
            action=SYNC_ACTION,
            user=None,
            revision=written_revision,
            data={
                "source_language": page.locale.language_code,
                "source_revision": revision.pk,
                "facts": names,
            },
        )
        written.append(target)
    return written


def on_record_published(sender, instance, revision=None, **kwargs):
    if revision is not None:
        sync_shared_facts(instance, revision)


def untranslated_texts(page, source):
    """Which of ``TRANSLATED_TEXTS`` ``page`` still has as ``source``'s latest revision has them."""
    theirs = source.get_latest_revision_as_object()
    untranslated = []
    for name in TRANSLATED_TEXTS:
        value, source_value = getattr(page, name), getattr(theirs, name)
        if name == "body":
            value, source_value = (_comparable_body(v) for v in (value, source_value))
        if value and value == source_value:
            untranslated.append(name)
    return untranslated


# The editor gives each rich-text paragraph a fresh key on every save.
BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


def _comparable_body(body):
    def without_keys(value):
        if isinstance(value, str):
            return BLOCK_KEY.sub("", value)
        if isinstance(value, dict):
            return {key: without_keys(item) for key, item in value.items()}
        if isinstance(value, list):
            return [without_keys(item) for item in value]
        return value

    return without_keys(normalise_body(body.raw_data))


def keep_shared_facts(page):
    """Give ``page`` (a translation, as its edit form built it) its latest revision's shared facts.

    The form shows them read-only; this makes a post that changes them change
    nothing, and keeps facts a sync wrote after the form was opened.
    """
    latest = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    copy_shared_facts(latest, page)
