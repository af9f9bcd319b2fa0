"""Writing checked rows as records: created, updated in place, or left alone.

Rows are written in batches (one transaction each) with a savepoint per
row, so a bad row leaves nothing behind and the good rows of its batch
still land. Pages are written by ``fastpath`` (Wagtail's work done once
per page, indexing deferred to one bulk pass after the import).
"""

import functools
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from taggit.models import Tag

from heritage.importing import fastpath
from heritage.importing.parse import Lookups, RowParser
from heritage.importing.values import (
    LANGUAGE_FIELD_COLUMNS,
    LANGUAGE_FIELDS,
    current_values,
    is_draft,
)
from heritage.models import CustomPage, FestivalPage, RecordMedia, RecordTag
from media_pipeline.ingest import IngestError, ingest_file

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
BATCH_SIZE = 200


class RowFailure(Exception):
    """A row that cannot be written; ``errors`` are its ``(column, reason)`` pairs."""

    def __init__(self, *errors):
        super().__init__(errors)
        self.errors = [(column, str(reason)) for column, reason in errors]

    def as_dicts(self):
        return [{"column": column, "reason": reason} for column, reason in self.errors]


@dataclass
class RowResult:
    row: int
    record_id: str
    status: str
    errors: list = field(default_factory=list)
    page_id: int | None = None

    def as_dict(self):
        return {
            "row": self.row,
            "record_id": self.record_id,
            "status": self.status,
            "errors": self.errors,
            "page_id": self.page_id,
        }


@dataclass
class ImportResult:
    rows: list
    dry_run: bool = False

    @property
    def counts(self):
        counts = Counter(result.status for result in self.rows)
        return {status: counts.get(status, 0) for status in (CREATED, UPDATED, UNCHANGED, FAILED)}

    def summary(self):
        """The last line, every row counted: ``created N, updated M, unchanged U, failed K``."""
        counts = self.counts
        return (
            f"created {counts[CREATED]}, updated {counts[UPDATED]}, "
            f"unchanged {counts[UNCHANGED]}, failed {counts[FAILED]}"
        )

    def errors(self):
        return [
            {"row": result.row, "record_id": result.record_id, **error}
            for result in self.rows
            for error in result.errors
        ]

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "counts": self.counts,
            "rows": [result.as_dict() for result in self.rows],
        }


class RecordImporter:
    """Imports checked rows; ``run(rows)`` returns an ``ImportResult``.

    ``user`` limits provinces to the user's teams and is recorded as owner
    and revision author (None: any province, no owner). ``progress`` is
    called with the number of rows done after each batch.
    """

    def __init__(
        self,
        *,
        user=None,
        publish=False,
        dry_run=False,
        media_dir=None,
        batch_size=BATCH_SIZE,
        progress=None,
    ):
        self.user = user
        self.publish = publish
        self.dry_run = dry_run
        self.media_dir = media_dir
        self.batch_size = batch_size
        self.progress = progress

    def run(self, rows):
        self.lookups = Lookups(user=self.user, media_dir=self.media_dir)
        self.parser = RowParser(self.lookups)
        self.slots = fastpath.TreeSlots()
        results = []
        with fastpath.deferred_indexing() as collected:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                results.extend(self._run_batch(batch))
                if self.progress:
                    self.progress(len(batch))
        if not self.dry_run:
            fastpath.enqueue_reindex(collected)
        return ImportResult(results, dry_run=self.dry_run)

    # --- reading what exists ------------------------------------------------

    def _load_existing(self, record_ids):
        """``{record_id: {language: page}}`` for the records of a batch, in two queries."""
        existing = {}
        locale_codes = {locale.pk: code for code, locale in self.lookups.locales.items()}
        for model in (FestivalPage, CustomPage):
            pages = (
                model.objects.filter(record_id__in=record_ids, locale_id__in=locale_codes)
                .select_related("latest_revision")
                .prefetch_related("ethnic_groups", "tagged_items", "media_links")
            )
            for page in pages:
                existing.setdefault(page.record_id, {})[locale_codes[page.locale_id]] = page
        drafts = [page for pages in existing.values() for page in pages.values() if is_draft(page)]
        stored = [
            page for pages in existing.values() for page in pages.values() if not is_draft(page)
        ]
        self.lookups.load_tag_names(
            [item.tag_id for page in stored for item in page.tagged_items.all()]
            + [
                item["tag"]
                for page in drafts
                for item in page.latest_revision.content.get("tagged_items") or []
            ]
        )
        self.lookups.load_asset_keys(
            [link.asset_id for page in stored for link in page.media_links.all()]
            + [
                link["asset"]
                for page in drafts
                for link in page.latest_revision.content.get("media_links") or []
            ]
        )
        return existing

    def _values(self, page):
        return current_values(
            page, tag_names=self.lookups.tag_names, asset_keys=self.lookups.asset_keys
        )

    def _plan(self, parsed, pages):
        """What to do with each locale: ``{language: (page or None, state, row values)}``.

        An empty plan means the record is unchanged.
        """
        vi_page = pages.get("vi")
        if vi_page is None and pages:
            raise RowFailure(
                ("record_id", _("this record ID exists only in another language than Vietnamese"))
            )
        if vi_page is not None:
            if vi_page.specific_class is not parsed.model:
                raise RowFailure(
                    (
                        "kind",
                        _("the record is a %(kind)s: its kind cannot change on import")
                        % {"kind": vi_page.kind},
                    )
                )
            if vi_page.province_id != parsed.province_as_recorded.current_unit.pk:
                raise RowFailure(
                    (
                        "province",
                        _("the record is in %(province)s: move it in the admin, not by import")
                        % {"province": vi_page.province.name_vi},
                    )
                )
        plan = {}
        for language in ("vi", "en"):
            page = pages.get(language)
            current = self._values(page) if page is not None else None
            if language not in parsed.texts:
                if page is None:
                    continue
                # No English in the row: keep the translation's texts, follow the shared fields.
                parsed.texts[language] = {
                    name: current[name] for name in ("title", "summary", "body", *LANGUAGE_FIELDS)
                }
            wanted = parsed.values(language)
            if page is None:
                plan[language] = (None, False, wanted)
                continue
            needs_publish = self.publish and (not page.live or page.has_unpublished_changes)
            changed = current != wanted
            if changed or needs_publish:
                plan[language] = (page, changed, wanted)
        return plan

    # --- the batch ------------------------------------------------------------

    def _run_batch(self, batch):
        results, parsed_rows = [], []
        for number, row in batch:
            parsed, errors = self.parser.parse(number, row)
            if errors:
                results.append(
                    RowResult(
                        number,
                        (row.get("record_id") or "").strip(),
                        FAILED,
                        [{"column": column, "reason": reason} for column, reason in errors],
                    )
                )
            else:
                parsed_rows.append(parsed)
        if not parsed_rows:
            return sorted(results, key=lambda result: result.row)
        if self.dry_run:
            existing = self._load_existing([parsed.record_id for parsed in parsed_rows])
            for parsed in parsed_rows:
                results.append(self._dry_row(parsed, existing.get(parsed.record_id, {})))
            return sorted(results, key=lambda result: result.row)

        stored_files = []
        try:
            with transaction.atomic():
                self.slots.begin_batch()
                existing = self._load_existing([parsed.record_id for parsed in parsed_rows])
                new_children = Counter()
                for parsed in parsed_rows:
                    results.append(
                        self._write_row(
                            parsed, existing.get(parsed.record_id, {}), new_children, stored_files
                        )
                    )
                fastpath.count_new_children(new_children)
        except DatabaseError:
            _delete_files(stored_files)
            raise
        return sorted(results, key=lambda result: result.row)

    def _dry_row(self, parsed, pages):
        try:
            plan = self._plan(parsed, pages)
            self._validate(parsed, self._targets(parsed, plan, self._translation_key(plan, pages)))
        except RowFailure as failure:
            return RowResult(parsed.number, parsed.record_id, FAILED, failure.as_dicts())
        if not self.lookups.may_publish(parsed.province_as_recorded.current_unit) and self.publish:
            return self._no_publish(parsed)
        status = (
            CREATED if "vi" in plan and plan["vi"][0] is None else (UPDATED if plan else UNCHANGED)
        )
        return RowResult(parsed.number, parsed.record_id, status)

    def _no_publish(self, parsed):
        reason = _("you may not publish in %(province)s") % {
            "province": parsed.province_as_recorded.current_unit.name_vi
        }
        return RowResult(
            parsed.number, parsed.record_id, FAILED, [{"column": "province", "reason": reason}]
        )

    def _write_row(self, parsed, pages, new_children, stored_files):
        if self.publish and not self.lookups.may_publish(parsed.province_as_recorded.current_unit):
            return self._no_publish(parsed)
        row_files, row_tags, row_children, row_assets = [], [], Counter(), {}
        try:
            with transaction.atomic():
                plan = self._plan(parsed, pages)
                if not plan:
                    return RowResult(
                        parsed.number, parsed.record_id, UNCHANGED, page_id=pages["vi"].pk
                    )
                assets = self._assets(parsed, row_files, row_assets)
                created = "vi" in plan and plan["vi"][0] is None
                targets = self._targets(parsed, plan, self._translation_key(plan, pages))
                for language, target in targets.items():
                    tags = self._tags(parsed.texts[language]["keywords"], row_tags)
                    self._set_relations(target, parsed, tags, assets)
                self._validate(parsed, targets)
                vi_page = pages.get("vi")
                for language, (page, changed, _wanted) in plan.items():
                    section = parsed.sections[language]
                    target = targets.get(language) or fastpath.latest_state(page)
                    if page is None:
                        fastpath.create_page(
                            target, section, self.slots, user=self.user, publish=self.publish
                        )
                        row_children[section.pk] += 1
                    else:
                        fastpath.update_page(
                            page, target, changed=changed, user=self.user, publish=self.publish
                        )
                    if language == "vi":
                        vi_page = target if page is None else page
        except RowFailure as failure:
            _delete_files(row_files)
            return RowResult(parsed.number, parsed.record_id, FAILED, failure.as_dicts())
        except (DatabaseError, ValidationError, OSError) as exc:
            _delete_files(row_files)
            logger.warning("Import row %s failed: %s", parsed.number, exc)
            return RowResult(
                parsed.number, parsed.record_id, FAILED, [{"column": "", "reason": str(exc)}]
            )
        stored_files.extend(row_files)
        new_children.update(row_children)
        for tag in row_tags:
            self.lookups.remember_tag(tag)
        self.lookups.asset_keys.update(row_assets)
        return RowResult(
            parsed.number, parsed.record_id, CREATED if created else UPDATED, page_id=vi_page.pk
        )

    # --- writing ----------------------------------------------------------------

    def _assets(self, parsed, row_files, row_assets):
        assets = []
        for ref in parsed.media:
            asset = ref.asset or self._ingest(ref, parsed, row_files)
            row_assets[asset.pk] = ref.key
            assets.append(asset)
        return assets

    def _ingest(self, ref, parsed, row_files):
        """Store a file of the row through the pipeline's one way in.

        A file already in the archive (same SHA-256) is reused; a new one gets
        its processing job, delivered when the row's batch commits.
        """
        try:
            result = ingest_file(
                ref.path,
                title=ref.path.stem,
                original_filename=ref.path.name,
                user=self.user,
                collection=parsed.team.collection,
                details={
                    "media_type": ref.media_type,
                    "recorded_by": parsed.texts["vi"]["recorded_by"],
                    "recorded_by_en": english_credit(parsed.texts),
                    "recorded_on": parsed.shared["recorded_on"],
                },
            )
        except IngestError as exc:
            raise RowFailure("media", f"{ref.path.name}: {exc}") from exc
        if not result.duplicate:
            row_files.append(result.asset.file)
        return result.asset

    def _tags(self, keywords, row_tags):
        tags = []
        for name in keywords:
            tag = self.lookups.tags_by_name.get(name)
            if tag is None:
                tag = Tag.objects.filter(name=name).first()
                if tag is None:
                    tag = Tag.objects.create(name=name)
                row_tags.append(tag)
            tags.append(tag)
        return tags

    @staticmethod
    def _translation_key(plan, pages):
        """The record's translation key: its Vietnamese page's, or a new one."""
        vi_page = pages.get("vi")
        return vi_page.translation_key if vi_page is not None else uuid.uuid4()

    def _targets(self, parsed, plan, translation_key):
        """``{language: page in memory with the row's values}`` for each locale the row changes.

        A new page for a locale without one, else the page's latest state.
        (Locales in the plan only to be published are not among them.)
        """
        targets = {}
        for language, (page, changed, _wanted) in plan.items():
            if page is None:
                target = parsed.model(
                    record_id=parsed.record_id, translation_key=translation_key, owner=self.user
                )
            elif changed:
                target = fastpath.latest_state(page)
            else:
                continue
            self._set_fields(target, parsed, language)
            targets[language] = target
        return targets

    def _set_fields(self, page, parsed, language):
        texts = parsed.texts[language]
        for name, value in parsed.shared.items():
            setattr(page, name, value)
        page.title = texts["title"]
        page.summary = texts["summary"]
        page.body = list(texts["body"])
        for name in LANGUAGE_FIELDS:
            setattr(page, name, texts[name])
        page.province_as_recorded = parsed.province_as_recorded
        page.locale = self.lookups.locales[language]

    def _validate(self, parsed, targets):
        """Run each page's own ``full_clean()``; raise every fault, named by its column."""
        errors = []
        for language, page in targets.items():
            try:
                page.full_clean(
                    exclude=not_from_the_sheet(type(page)),
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                for fault in column_errors(
                    error, page, parsed.body_columns.get(language, ""), language
                ):
                    if fault not in errors:  # the locales share most fields
                        errors.append(fault)
        if errors:
            raise RowFailure(*errors)

    def _set_relations(self, page, parsed, tags, assets):
        """Set the row's groups, keywords and media on ``page`` (in memory, committed by save)."""
        page.ethnic_groups.set(parsed.groups)
        old_tags = {item.tag_id: item for item in page.tagged_items.all()}
        page.tagged_items.set([old_tags.get(tag.pk) or RecordTag(tag=tag) for tag in tags])
        old_links = {link.asset_id: link for link in page.media_links.all()}
        links = []
        for order, asset in enumerate(assets):
            link = old_links.get(asset.pk) or RecordMedia(asset=asset)
            link.sort_order = order
            links.append(link)
        page.media_links.set(links)


# Fields no cell gives: set when the page is placed in the tree (fastpath), or
# derived by save (the current province) and Wagtail (the draft title is the title).
NOT_FROM_THE_SHEET = ["path", "depth", "numchild", "url_path", "slug", "province", "draft_title"]


@functools.cache
def not_from_the_sheet(model):
    """Fields ``_validate`` leaves out: set by the importer, or related objects it looked up.

    Every foreign key (province, locale, owner, content type…) holds an
    object the importer found itself; checking that it exists costs one
    query per key and page, four tenths of an import's time.
    """
    keys = [field.name for field in model._meta.concrete_fields if field.many_to_one]
    return [*NOT_FROM_THE_SHEET, *keys]


# Model fields whose faults belong to a column of another name.
FIELD_COLUMNS = {"province_as_recorded": "province", NON_FIELD_ERRORS: ""}


def column_errors(error, page, body_column, language):
    """A model's ``ValidationError`` as ``(column, reason)`` pairs in the sheet's terms.

    A value outside a field's choices is told the values it may take.
    """
    columns = {
        **FIELD_COLUMNS,
        **LANGUAGE_FIELD_COLUMNS[language],
        "title": f"title_{language}",
        "summary": f"summary_{language}",
        "body": body_column,
    }
    faults = []
    for name, field_errors in error.error_dict.items():
        reasons = []
        for field_error in field_errors:
            reasons.extend(field_error.messages)
            if field_error.code == "invalid_choice":
                choices = page._meta.get_field(name).choices
                reasons.append(_("use %(values)s") % {"values": ", ".join(v for v, _l in choices)})
        faults.append((columns.get(name, name), " ".join(reasons)))
    return faults


def _delete_files(files):
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            logger.warning("Could not delete %s after a failed import row", stored.name)


def english_credit(texts):
    """The row's English "recorded by" for its media, where it differs from the Vietnamese."""
    english = texts.get("en", {}).get("recorded_by", "")
    return english if english != texts["vi"]["recorded_by"] else ""
