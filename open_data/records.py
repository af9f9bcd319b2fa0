"""The records open data shows, and where they live on the web.

Every surface of this app (the JSON API, OAI-PMH, IIIF, the dataset
downloads) starts here, so each asks the archive's one access rule the
same way: live records any visitor may see, and of their media only what
any visitor may see (``heritage.access``). None of them has an audience of
its own: a harvester or a download is the public, whoever asks.
"""

from django.conf import settings

from heritage.access import Audience
from heritage.models import RecordPage

# Vietnamese first: it is the record's own language, English its translation.
LANGUAGES = ("vi", "en")


def public_records():
    """Every language version of every public record, with what a description reads."""
    return (
        RecordPage.objects.visible_to(Audience.PUBLIC)
        .with_custom_type()
        .select_related("locale", "province", "province_as_recorded")
        .prefetch_related("ethnic_groups", "keywords")
    )


def versions_of(record_id, records=None):
    """A record's public language versions, Vietnamese first; [] when none is public."""
    records = public_records() if records is None else records
    found = {page.locale.language_code: page for page in records.filter(record_id=record_id)}
    return [found[code] for code in LANGUAGES if code in found]


def public_media(page):
    """The media of a record any visitor may see, in the record's order."""
    return page.visible_media(Audience.PUBLIC)


def absolute_url(path):
    """An address on the public site: harvests and downloads are read far from any request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def permalink(record_id):
    """The record's stable address: /r/<record_id>/ follows it to the visitor's language."""
    return absolute_url(f"/r/{record_id}/")


def described_records(record_ids):
    """``{record_id: (versions, media)}`` for the public records among ``record_ids``.

    Versions come Vietnamese first, media are those any visitor may see on the
    first version, in the record's order: the same few queries however many
    records, for every surface that lists them (API pages, harvest pages,
    export chunks).
    """
    pages = sorted(
        public_records().filter(record_id__in=record_ids),
        key=lambda page: LANGUAGES.index(page.locale.language_code),
    )
    versions = {}
    for page in pages:
        versions.setdefault(page.record_id, []).append(page)
    media = public_media_by_page([found[0] for found in versions.values()])
    return {record_id: (found, media[found[0].pk]) for record_id, found in versions.items()}


def public_media_by_page(pages):
    """``{page pk: [media any visitor may see, in the record's order]}`` in one query.

    ``public_media`` for many pages at once, so a whole export reads media in
    a constant number of queries per chunk of records.
    """
    from django.db.models import F

    from media_pipeline.models import MediaAsset

    assets = (
        MediaAsset.objects.visible_to(Audience.PUBLIC)
        .filter(record_links__page__in=[page.pk for page in pages])
        .annotate(linked_page=F("record_links__page_id"))
        .order_by("record_links__sort_order", "record_links__pk")
        .prefetch_related("renditions")
    )
    found = {page.pk: [] for page in pages}
    for asset in assets:
        found[asset.linked_page].append(asset)
    return found
