"""The archive's own full-text index: one search document per live record page.

Each row holds the record's text in three forms (exact, folded, English
stems: see ``search.text`` and ``search.documents``) plus the facet values.
The database keeps its full-text structure in step with these rows by
itself: on SQLite an FTS5 table fed by triggers, on PostgreSQL a generated
tsvector column with a GIN index (migration 0002).

``public`` and ``record_number`` are copies kept in step with the page so the
ranked index query can filter and collapse without joining the page tables;
the access rule itself stays in ``RecordPage.objects.visible_to``, which
every page of hits is checked against (see ``search.database``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaFlag:
    """Bits of ``RecordSearchDocument.media_types``: one grouped pass counts them all."""

    VIDEO = 1
    AUDIO = 2
    IMAGE = 4
    DOCUMENT = 8
    BY_TYPE = {"video": VIDEO, "audio": AUDIO, "image": IMAGE, "document": DOCUMENT}


class RecordSearchDocument(models.Model):
    page = models.OneToOneField(
        "heritage.RecordPage", on_delete=models.CASCADE, related_name="search_document"
    )
    record_id = models.CharField(max_length=64, db_index=True)
    # The smallest live page id among the record's translations: the same for
    # every translation, so hits collapse per record on an integer, and the
    # document whose page_id equals it is the one a record is counted by.
    record_number = models.BigIntegerField(default=0)
    # The record has more than one live translation: only then can two of its
    # documents match one search and need counting once.
    translated = models.BooleanField(default=False)
    # Live and public: what an anonymous visitor may see. A copy of the access
    # rule for speed, changed in the transaction that publishes or unpublishes
    # (search.documents.update_access_copy).
    public = models.BooleanField(default=False)
    locale = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    province = models.ForeignKey(
        "heritage.Province", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lunar_month = models.PositiveSmallIntegerField(null=True)
    media_types = models.PositiveSmallIntegerField(default=0)
    # Space-separated ids of the record's ethnic groups, for the facet counts
    # (the filter itself reads the record's own group table).
    ethnic_group_ids = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255)
    sort_title = models.CharField(max_length=255, db_index=True)
    # Indexed text: space-separated words, already normalised in Python.
    title_exact = models.TextField(blank=True)
    title_folded = models.TextField(blank=True)
    names_exact = models.TextField(blank=True)
    names_folded = models.TextField(blank=True)
    body_exact = models.TextField(blank=True)
    body_folded = models.TextField(blank=True)
    title_english = models.TextField(blank=True)
    body_english = models.TextField(blank=True)
    # Readable text for snippets, as written.
    snippet_text = models.TextField(blank=True)
    # [start seconds, folded words] of each caption cue of the record's visible
    # media, so a hit in spoken text links to its moment (record#t=start).
    moments = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [models.Index(fields=["record_id", "locale"])]

    def __str__(self):
        return f"{self.record_id} [{self.locale}]"


class SearchTerm(models.Model):
    """Every folded word seen by the index, for spelling suggestions.

    Words are only added, never removed: a suggestion is offered only when
    the corrected query finds records the visitor may see, so a word from a
    restricted or deleted record never shows on its own.
    """

    term = models.CharField(max_length=64, unique=True)
    first = models.CharField(max_length=1, db_index=True)
    length = models.PositiveSmallIntegerField()
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.term
