"""Writing checked rows as records: created, updated in place, or left alone.

Speed comes from doing Wagtail's work once per page rather than through
``add_child`` + ``save_revision`` + ``publish`` (which save a page three
times and validate it twice): rows are validated by ``RowParser``, each
page is placed in the tree from a per-section counter, saved once, given
one revision, and indexed in bulk after the import. Rows are written in
batches (one transaction each) with a savepoint per row, so a bad row
leaves nothing behind and the good rows of its batch still land.
"""

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from taggit.models import Tag
from wagtail.log_actions import log
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from heritage.importing.indexing import deferred_indexing, enqueue_reindex
from heritage.importing.media import store_asset
from heritage.importing.parse import Lookups, RowParser
from heritage.importing.values import current_values, is_draft
from heritage.models import CustomPage, FestivalPage, RecordMedia, RecordTag
from search.text import fold

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
BATCH_SIZE = 200


class RowFailure(Exception):
    def __init__(self, column, reason):
        super().__init__(reason)
        self.column = column
        self.reason = str(reason)


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


class TreeSlots:
    """Tree paths and sibling-unique slugs for new pages, one counter per section.

    The last child's path is re-read at the start of each batch, so pages
    added meanwhile in the admin are not collided with.
    """

    def __init__(self):
        self.last_step = {}
        self.slugs = {}
        self.suffix = {}

    def begin_batch(self):
        self.last_step.clear()

    def _children(self, section):
        return Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)

    def next_path(self, section):
        if section.pk not in self.last_step:
            last = self._children(section).order_by("-path").values_list("path", flat=True).first()
            self.last_step[section.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
        self.last_step[section.pk] += 1
        return Page._get_path(section.path, section.depth + 1, self.last_step[section.pk])

    def slug(self, section, title):
        taken = self.slugs.get(section.pk)
        if taken is None:
            taken = self.slugs[section.pk] = set(
                self._children(section).values_list("slug", flat=True)
            )
        base = slugify(fold(title))[:240] or "record"
        slug, number = base, self.suffix.get((section.pk, base), 2)
        while slug in taken:
            slug = f"{base}-{number}"
            number += 1
        self.suffix[(section.pk, base)] = number
        taken.add(slug)
        return slug


def _latest_state(page):
    """The page as its latest revision has it (the draft), else as stored."""
    if is_draft(page):
        return page.with_content_json(page.latest_revision.content)
    return page


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
        self.slots = TreeSlots()
        results = []
        with deferred_indexing() as collected:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                results.extend(self._run_batch(batch))
                if self.progress:
                    self.progress(len(batch))
        if not self.dry_run:
            enqueue_reindex(collected)
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
                "record_id", _("this record ID exists only in another language than Vietnamese")
            )
        if vi_page is not None:
            if vi_page.specific_class is not parsed.model:
                raise RowFailure(
                    "kind",
                    _("the record is a %(kind)s: its kind cannot change on import")
                    % {"kind": vi_page.kind},
                )
            if vi_page.province_id != parsed.province_as_recorded.current_unit.pk:
                raise RowFailure(
                    "province",
                    _("the record is in %(province)s: move it in the admin, not by import")
                    % {"province": vi_page.province.name_vi},
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
                    name: current[name] for name in ("title", "summary", "body")
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
                for section_pk, count in new_children.items():
                    Page.objects.filter(pk=section_pk).update(numchild=F("numchild") + count)
        except DatabaseError:
            _delete_files(stored_files)
            raise
        return sorted(results, key=lambda result: result.row)

    def _dry_row(self, parsed, pages):
        try:
            plan = self._plan(parsed, pages)
        except RowFailure as failure:
            return RowResult(
                parsed.number,
                parsed.record_id,
                FAILED,
                [{"column": failure.column, "reason": failure.reason}],
            )
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
                tags = self._tags(parsed, row_tags)
                vi_page = plan.get("vi", (pages.get("vi"),))[0]
                created = vi_page is None
                translation_key = vi_page.translation_key if vi_page else uuid.uuid4()
                for language, (page, changed, _wanted) in plan.items():
                    if page is None:
                        page = self._create(parsed, language, translation_key, tags, assets)
                        row_children[parsed.sections[language].pk] += 1
                    else:
                        self._update(parsed, language, page, changed, tags, assets)
                    if language == "vi":
                        vi_page = page
        except RowFailure as failure:
            _delete_files(row_files)
            return RowResult(
                parsed.number,
                parsed.record_id,
                FAILED,
                [{"column": failure.column, "reason": failure.reason}],
            )
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
        from media_pipeline.models import MediaAsset

        assets = []
        for ref in parsed.media:
            asset = ref.asset
            if asset is None:
                asset = self.lookups.assets_by_sha.get(ref.key) or (
                    MediaAsset.objects.filter(sha256=ref.key).order_by("pk").first()
                )
            if asset is None:
                asset = store_asset(
                    ref,
                    collection=parsed.team.collection,
                    user=self.user,
                    recorded_by=parsed.shared["recorded_by"],
                    recorded_on=parsed.shared["recorded_on"],
                )
                row_files.append(asset.file)
            row_assets[asset.pk] = ref.key
            assets.append(asset)
        return assets

    def _tags(self, parsed, row_tags):
        tags = []
        for name in parsed.keywords:
            tag = self.lookups.tags_by_name.get(name)
            if tag is None:
                tag = Tag.objects.filter(name=name).first()
                if tag is None:
                    tag = Tag.objects.create(name=name)
                row_tags.append(tag)
            tags.append(tag)
        return tags

    def _apply(self, page, parsed, language, tags, assets):
        """Set the row's values on ``page`` (in memory; relations are committed by save)."""
        texts = parsed.texts[language]
        for name, value in parsed.shared.items():
            setattr(page, name, value)
        page.title = texts["title"]
        page.summary = texts["summary"]
        page.body = list(texts["body"])
        page.province_as_recorded = parsed.province_as_recorded
        page.locale = self.lookups.locales[language]
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

    def _revision(self, page):
        return Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=page.serializable_data(),
            object_str=str(page),
        )

    def _after_save(self, page, revision, action, published):
        if action:
            log(
                instance=page,
                action=action,
                user=self.user,
                revision=revision,
                content_changed=True,
            )
        if published:
            log(
                instance=page,
                action="wagtail.publish",
                user=self.user,
                revision=revision,
                content_changed=True,
            )
            page_published.send(sender=page.specific_class, instance=page, revision=revision)

    def _create(self, parsed, language, translation_key, tags, assets):
        section = parsed.sections[language]
        now = timezone.now()
        page = parsed.model(
            record_id=parsed.record_id,
            translation_key=translation_key,
            owner=self.user,
            live=self.publish,
            has_unpublished_changes=not self.publish,
            first_published_at=now if self.publish else None,
            last_published_at=now if self.publish else None,
            latest_revision_created_at=now,
        )
        self._apply(page, parsed, language, tags, assets)
        page.draft_title = page.title
        page.slug = self.slots.slug(section, page.title)
        page.path = self.slots.next_path(section)
        page.depth = section.depth + 1
        page.numchild = 0
        page._cached_parent_obj = section
        page.save(clean=False, user=self.user)  # logs "wagtail.create" itself
        _prime_empty_relations(page)
        revision = self._revision(page)
        page.latest_revision = revision
        page.live_revision = revision if self.publish else None
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision, live_revision=page.live_revision
        )
        self._after_save(page, revision, None, self.publish)
        return page

    def _update(self, parsed, language, page, content_changed, tags, assets):
        now = timezone.now()
        state = _latest_state(page)
        if content_changed:
            self._apply(state, parsed, language, tags, assets)
        publish = self.publish
        if publish:
            state.live = True
            state.expired = False
            state.has_unpublished_changes = False
            state.last_published_at = now
            state.first_published_at = state.first_published_at or now
        if publish or not page.live:
            # A live page keeps its live content until the draft is published.
            state.draft_title = state.title
            if not publish:
                state.has_unpublished_changes = True
            state.save(clean=False)
        revision = page.latest_revision if not content_changed else None
        if revision is None:
            revision = self._revision(state)
        fields = {
            "latest_revision": revision,
            "latest_revision_created_at": revision.created_at,
            "draft_title": state.title,
        }
        if publish:
            fields["live_revision"] = revision
        else:
            fields["has_unpublished_changes"] = True
        Page.objects.filter(pk=page.pk).update(**fields)
        if content_changed:
            self._after_save(state, revision, "wagtail.edit", publish)
        elif publish:
            self._after_save_publish_only(state, revision)

    def _after_save_publish_only(self, page, revision):
        log(instance=page, action="wagtail.publish", user=self.user, revision=revision)
        page_published.send(sender=page.specific_class, instance=page, revision=revision)


# The relations an import sets; every other one is empty on a new page.
IMPORTED_RELATIONS = {"ethnic_groups", "tagged_items", "media_links"}


def _prime_empty_relations(page):
    """A new page has no sources, people, comments...: say so, sparing a query each later.

    Only the relations the import never sets: modelcluster forgets the
    in-memory items of committed ones, which must be read back.
    """
    cache = page.__dict__.setdefault("_cluster_related_objects", {})
    names = [relation.get_accessor_name() for relation in get_all_child_relations(page)]
    names += [m2m.name for m2m in get_all_child_m2m_relations(page)]
    for name in names:
        if name not in IMPORTED_RELATIONS:
            cache.setdefault(name, [])


def _delete_files(files):
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            logger.warning("Could not delete %s after a failed import row", stored.name)
