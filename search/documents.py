"""Turning record pages into search documents, and keeping the index in step.

``index_record(record_id)`` is the one way a record's documents are built:
the task queue runs it after publish, unpublish and delete, and
``rebuild_search_index`` runs it for every record. Only the access copy
changes sooner, in the publishing transaction (``update_access_copy``).
"""

import logging
from collections import Counter

import snowballstemmer
from django.db import transaction
from django.db.models import F
from django.utils.html import strip_tags

from heritage.access import Access
from heritage.models import RecordPage
from search.models import MediaFlag, RecordSearchDocument, SearchTerm
from search.text import exact_tokens, fold, tokens

logger = logging.getLogger(__name__)

SNIPPET_TEXT_CHARS = 6000
# Cues kept for linking a hit to its moment in a recording (#t=); their text is indexed in full.
MAX_MOMENTS = 2000
_english = snowballstemmer.stemmer("english")


def english_stems(words):
    """English Snowball stems of folded words ("gongs" -> "gong", "festivals" -> "festiv")."""
    return _english.stemWords(words)


def body_texts(page):
    """The readable texts of a record's body: paragraphs, captions, transcripts."""
    texts = []
    for child in page.body:
        value = child.value
        kind = child.block_type
        if kind == "paragraph":
            texts.append(strip_tags(value.source).replace("\xa0", " "))
        elif kind in {"image", "video", "audio", "document"}:
            texts.extend([value.get("caption") or "", value.get("alt_text") or ""])
        elif kind == "gallery":
            texts.append(value.get("title") or "")
            for item in value["images"]:
                texts.extend([item.get("caption") or "", item.get("alt_text") or ""])
        elif kind == "oral_testimony":
            texts.extend([value.get("transcript") or "", value.get("translation") or ""])
    return [text for text in texts if text.strip()]


def name_texts(page):
    """Names a visitor may search the record by: groups, provinces, keywords, places."""
    names = []
    for group in page.ethnic_groups.all():
        names.extend(group.all_names)
    # The province as recorded and the unit it is now part of, so both the
    # former and the current name find the record.
    for province in {page.province_as_recorded, page.province}:
        if province is not None:
            names.extend([province.name_vi, province.name_en])
    names.extend(tag.name for tag in page.keywords.all())
    names.extend([page.locality, page.season])
    return [name for name in names if name]


def media_flags(page):
    """The record's media facet bits, from what the record says a visitor sees of its media."""
    flags = 0
    for media_type in page.public_media_types():
        flags |= MediaFlag.BY_TYPE.get(media_type, 0)
    return flags


def document_fields(page):
    """The column values of ``page``'s search document (``page`` is the specific page)."""
    title_text = " ".join(filter(None, [page.title, page.native_name]))
    names = " ; ".join(name_texts(page))
    body_parts = [page.summary, *body_texts(page)]
    body_parts.extend(link.caption for link in page.media_links.all() if link.caption)
    cues = page.public_caption_cues()
    body_parts.extend(text for _start, text in cues)
    if hasattr(page, "editions"):
        for edition in page.editions.all():
            body_parts.extend([edition.place, edition.notes])
    # A caption is often its alt text and the record's own caption too: once is
    # enough to find it, and a snippet should not stutter.
    body = "\n".join(dict.fromkeys(part for part in body_parts if part))
    locale = page.locale.language_code
    fields = {
        "record_id": page.record_id,
        "locale": locale,
        "kind": page.kind,
        "province_id": page.province_id,
        "lunar_month": page.lunar_month,
        "media_types": media_flags(page),
        "ethnic_group_ids": " ".join(sorted(str(group.pk) for group in page.ethnic_groups.all()))[
            :255
        ],
        "title": page.title[:255],
        "sort_title": fold(page.title)[:255],
        "title_exact": " ".join(exact_tokens(title_text)),
        "title_folded": " ".join(tokens(title_text)),
        "names_exact": " ".join(exact_tokens(names)),
        "names_folded": " ".join(tokens(names)),
        "body_exact": " ".join(exact_tokens(body)),
        "body_folded": " ".join(tokens(body)),
        "title_english": "",
        "body_english": "",
        "snippet_text": " ".join(body.split())[:SNIPPET_TEXT_CHARS],
        "moments": [[start, " ".join(tokens(text))] for start, text in cues][:MAX_MOMENTS],
    }
    if locale.startswith("en"):
        fields["title_english"] = " ".join(english_stems(tokens(title_text)))
        fields["body_english"] = " ".join(english_stems(tokens(body)))
    return fields


def record_vocabulary(fields):
    """Folded words of a document, for spelling suggestions."""
    words = Counter()
    for column in ("title_folded", "names_folded", "body_folded"):
        words.update(word for word in fields[column].split() if 2 < len(word) <= 64)
    return words


def add_vocabulary(words):
    """Add words to the suggestion vocabulary (only ever grows)."""
    if not words:
        return
    existing = set(SearchTerm.objects.filter(term__in=list(words)).values_list("term", flat=True))
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(term=word, first=word[0], length=len(word), frequency=count)
            for word, count in words.items()
            if word not in existing
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    for word in existing:
        SearchTerm.objects.filter(term=word).update(frequency=F("frequency") + words[word])


def _pages_of(record_id):
    return (
        RecordPage.objects.filter(record_id=record_id)
        .select_related("locale", "province", "province_as_recorded")
        .prefetch_related("ethnic_groups", "keywords", "media_links")
        .specific()
    )


@transaction.atomic
def index_record(record_id):
    """Bring the search documents of ``record_id`` (every translation) up to date.

    Live pages get a document; pages no longer live or deleted lose theirs.
    Restricted pages keep a document with ``public`` off: queries filter on
    that copy and check each page of hits against the access rule itself.
    """
    live_ids = []
    vocabulary = Counter()
    pages = list(_pages_of(record_id))
    record_number = min((page.pk for page in pages if page.live), default=0)
    translated = sum(1 for page in pages if page.live) > 1
    for page in pages:
        if not page.live:
            continue
        fields = document_fields(page)
        fields["record_number"] = record_number
        fields["translated"] = translated
        fields["public"] = page.access == Access.PUBLIC
        RecordSearchDocument.objects.update_or_create(page_id=page.pk, defaults=fields)
        live_ids.append(page.pk)
        vocabulary.update(record_vocabulary(fields))
    RecordSearchDocument.objects.filter(record_id=record_id).exclude(page_id__in=live_ids).delete()
    add_vocabulary(vocabulary)
    return len(live_ids)


def update_access_copy(page):
    """Make ``page``'s document agree at once with the page's access and live state.

    Called in the transaction that publishes (so restricts or opens) or
    unpublishes the page: counts and facets, which read the copy, never count
    a record the visitor may no longer see, even while the full re-index
    waits in the task queue behind a transcode.
    """
    if page.live:
        RecordSearchDocument.objects.filter(page_id=page.pk).update(
            public=page.access == Access.PUBLIC
        )
    else:
        remove_page(page.pk)


def remove_page(page_id):
    """Drop one page's document (the page is gone or no longer live)."""
    RecordSearchDocument.objects.filter(page_id=page_id).delete()


def rebuild(progress=None, batch_size=200):
    """Re-index every record and drop documents of pages that are gone; returns a count."""
    record_ids = list(
        RecordPage.objects.live().order_by().values_list("record_id", flat=True).distinct()
    )
    RecordSearchDocument.objects.exclude(record_id__in=record_ids).delete()
    count = 0
    for start in range(0, len(record_ids), batch_size):
        for record_id in record_ids[start : start + batch_size]:
            count += index_record(record_id)
        if progress is not None:
            progress.update(len(record_ids[start : start + batch_size]))
    return count
