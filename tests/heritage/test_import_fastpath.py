"""The importer's fast path makes the pages Wagtail's own calls would make.

The same sheet row is written twice from the same starting tree: once by
the importer, once by ``parent.add_child(instance=page)`` +
``page.save_revision()`` (+ ``.publish()``), as the admin does. Each run
happens in a savepoint that is rolled back after its pages are described,
so both get the same tree path, slug and URL, and the descriptions must be
equal: every column of the page, its relations, revisions, log entries and
reference-index rows. When a Wagtail upgrade changes what its calls do, this
test names the difference and ``heritage/importing/fastpath.py`` follows.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision

from heritage.importing import import_file, read_sheet
from heritage.importing.parse import Lookups, RowParser
from heritage.importing.values import normalise_body
from heritage.models import RecordPage, RecordTag
from tests.heritage.importgen import make_rows, write_csv

TIMESTAMPS = {"first_published_at", "last_published_at", "latest_revision_created_at"}
CHILD_ID = re.compile(r"\.\d+\.")


class Rollback(Exception):
    """Undo one way of writing, once its pages are described."""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer(archive):
    return get_user_model().objects.create_superuser("hoa", "hoa@example.org", "pw")


def _revision_state(revision, page):
    return {
        "content keys": sorted(revision.content),
        "user": revision.user_id,
        "object_str": revision.object_str == str(page),
        "base_content_type": revision.base_content_type_id,
        "content_type": revision.content_type_id,
        "approved_go_live_at": revision.approved_go_live_at,
        "title": revision.content["title"],
        "record_id": revision.content["record_id"],
        "ethnic_groups": sorted(revision.content["ethnic_groups"]),
        "tags": sorted(item["tag"] for item in revision.content["tagged_items"]),
    }


def _page_state(page_id):
    """Everything a page is in the database, with per-run values (ids, times) as facts."""
    page = Page.objects.get(pk=page_id).specific
    revisions = list(Revision.objects.for_instance(page).order_by("created_at", "pk"))
    state = {}
    for field in type(page)._meta.concrete_fields:
        if field.primary_key:
            continue  # the page's own id (and its parent-table links)
        value = getattr(page, field.attname)
        if field.name in TIMESTAMPS:
            value = value is not None
        elif field.name == "body":
            value = normalise_body(page.body.raw_data)
        elif field.name == "translation_key":
            continue  # compared between the locales of each run
        elif field.name in ("latest_revision", "live_revision"):
            value = None if value is None else [rev.pk for rev in revisions].index(value)
        state[field.name] = value
    state["latest revision created_at"] = page.latest_revision_created_at == (
        revisions[-1].created_at
    )
    if page.live:
        state["last published = first published"] = (
            page.last_published_at == page.first_published_at
        )
    state["groups"] = sorted(page.ethnic_groups.values_list("pk", flat=True))
    state["tags"] = sorted(page.tagged_items.values_list("tag__name", flat=True))
    state["revisions"] = [_revision_state(revision, page) for revision in revisions]
    state["log"] = [
        (entry.action, entry.user_id, entry.revision_id is not None, entry.content_changed)
        for entry in PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    ]
    state["references"] = sorted(
        # A content path names child rows by id ("tagged_items.7.tag"): ids differ by run.
        (
            ref.to_content_type_id,
            ref.to_object_id,
            ref.model_path,
            CHILD_ID.sub(".#.", ref.content_path),
        )
        for ref in ReferenceIndex.get_references_for_object(page)
    )
    state["parent numchild"] = page.get_parent().numchild
    return state


def _describe(record_id):
    vi, en = (
        RecordPage.objects.get(record_id=record_id, locale__language_code=code)
        for code in ("vi", "en")
    )
    assert vi.translation_key == en.translation_key
    assert Page.find_problems() == ([], [], [], [], [])
    return {"vi": _page_state(vi.pk), "en": _page_state(en.pk)}


def _by_importer(sheet, user, publish):
    result = import_file(sheet, user=user, publish=publish)
    assert result.counts["created"] == 1, result.errors()


def _by_wagtail(sheet, user, publish):
    """What an officer gets creating the record and its translation in the admin."""
    (number, row), *_ = read_sheet(sheet)
    parsed, errors = RowParser(Lookups(user=user)).parse(number, row)
    assert not errors
    translation_key = None
    for language in ("vi", "en"):
        texts = dict(parsed.texts[language])
        keywords = texts.pop("keywords")
        page = parsed.model(
            **texts,
            record_id=parsed.record_id,
            province_as_recorded=parsed.province_as_recorded,
            locale=Locale.objects.get(language_code=language),
            owner=user,
            live=False,
            **parsed.shared,
        )
        if translation_key:
            page.translation_key = translation_key
        page.ethnic_groups.set(parsed.groups)
        page.tagged_items.set([RecordTag(tag=parsed_tag) for parsed_tag in _tags(keywords)])
        parsed.sections[language].add_child(instance=page)
        revision = page.save_revision(user=user)
        if publish:
            revision.publish(user=user)
        translation_key = page.translation_key


def _tags(names):
    from taggit.models import Tag

    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def _written(way, sheet, user, publish, record_id, django_capture_on_commit_callbacks):
    try:
        with transaction.atomic():
            # On-commit work (the reference index, the search index) runs inside the savepoint.
            with django_capture_on_commit_callbacks(execute=True):
                way(sheet, user, publish)
            described = _describe(record_id)
            raise Rollback
    except Rollback:
        return described


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
@pytest.mark.django_db
def test_an_imported_page_is_what_wagtail_would_make(
    officer, tmp_path, publish, django_capture_on_commit_callbacks
):
    row = make_rows(1, ["Tuyên Quang"])[0]
    sheet = write_csv(tmp_path / "one.csv", [row])
    _tags(row["keywords"].split(";"))  # same tag ids in both runs (sequences do not roll back)
    args = (sheet, officer, publish, row["record_id"], django_capture_on_commit_callbacks)

    imported = _written(_by_importer, *args)
    made_by_wagtail = _written(_by_wagtail, *args)

    for language in ("vi", "en"):
        assert imported[language] == made_by_wagtail[language], language
    page = made_by_wagtail["vi"]
    assert page["live"] is publish and page["has_unpublished_changes"] is not publish
    assert page["references"], "the reference index knows the page's groups and province"


def _updated_by_importer(sheet, user, publish):
    _by_importer(sheet, user, publish=True)
    rows = [row for _number, row in read_sheet(sheet)]
    rows[0]["summary_vi"] = "Tóm tắt đã sửa"
    result = import_file(write_csv(sheet.with_name("edited.csv"), rows), user=user, publish=publish)
    assert result.counts["updated"] == 1, result.errors()


def _updated_by_wagtail(sheet, user, publish):
    """The same edit made in the page editor: save a revision (logged), publish it or not."""
    _by_importer(sheet, user, publish=True)
    (_number, row), *_ = read_sheet(sheet)
    page = RecordPage.objects.get(record_id=row["record_id"], locale__language_code="vi")
    page = page.specific.get_latest_revision_as_object()
    page.summary = "Tóm tắt đã sửa"
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
@pytest.mark.django_db
def test_an_imported_edit_is_what_the_page_editor_would_make(
    officer, tmp_path, publish, django_capture_on_commit_callbacks
):
    row = make_rows(1, ["Lào Cai"])[0]
    sheet = write_csv(tmp_path / "one.csv", [row])
    _tags(row["keywords"].split(";"))
    args = (sheet, officer, publish, row["record_id"], django_capture_on_commit_callbacks)

    imported = _written(_updated_by_importer, *args)
    edited_in_wagtail = _written(_updated_by_wagtail, *args)

    assert imported["vi"] == edited_in_wagtail["vi"]
    assert len(imported["vi"]["revisions"]) == 2
    assert imported["vi"]["has_unpublished_changes"] is not publish
