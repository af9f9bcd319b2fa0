"""The database search path: its copy of the access rule, and what happens when it is stale.

``RecordSearchDocument.public`` and ``record_number`` are copies the indexing
task keeps so the ranked index query can filter and collapse on its own; the
page of hits is still checked against ``RecordPage.objects.visible_to``.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from wagtail.models import Locale

from heritage.access import Access
from heritage.models import RecordPage
from search import documents
from search.models import RecordSearchDocument
from search.query import SearchParams, search_records, suggest_records
from tests.factories import make_record


@pytest.fixture
def two_records(archive):
    open_record = make_record(
        "Lễ hội cầu mùa okapiword",
        groups=("Ba Na",),
        province="Gia Lai",
        summary="Lễ cầu mùa okapiword của làng.",
    )
    hidden = make_record(
        "Lễ kín okapiword okapiword",
        groups=("Gia Rai",),
        province="Gia Lai",
        summary="Nghi lễ kín okapiword okapiword okapiword, chỉ dành cho già làng.",
        access=Access.RESTRICTED,
    )
    documents.rebuild()
    return open_record, hidden


def search(q, user=None, **params):
    return search_records(SearchParams(q=q, **params), user or AnonymousUser())


@pytest.mark.django_db
def test_index_keeps_access_copy_and_record_number(two_records, django_capture_on_commit_callbacks):
    open_record, hidden = two_records
    assert RecordSearchDocument.objects.get(page=open_record).public is True
    assert RecordSearchDocument.objects.get(page=hidden).public is False

    # Restricting a record through the admin flow refreshes the copy.
    page = RecordPage.objects.get(pk=open_record.pk).specific
    page.access = Access.RESTRICTED
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert RecordSearchDocument.objects.get(page=open_record).public is False
    assert search("okapiword").count == 0

    english = hidden.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Secret rite"
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    numbers = set(
        RecordSearchDocument.objects.filter(record_id=hidden.record_id).values_list(
            "record_number", flat=True
        )
    )
    assert numbers == {min(hidden.pk, english.pk)}


@pytest.mark.django_db
def test_stale_public_copy_never_shows_a_restricted_record(client, two_records):
    open_record, hidden = two_records
    # As if the indexing task had not run yet after the record was restricted.
    RecordSearchDocument.objects.filter(page=hidden).update(public=True)

    result = search("okapiword")
    assert [hit.record_id for hit in result.hits] == [open_record.record_id]
    # The hidden record ranks first (the word three times): the page is
    # refilled from the next records, not left short.
    result = search("okapiword", page_size=1)
    assert [hit.record_id for hit in result.hits] == [open_record.record_id]
    assert suggest_records("Lễ kín", AnonymousUser()) == []

    html = client.get("/search/", {"q": "okapiword"}).content.decode()
    assert "Lễ hội cầu mùa" in html and "Lễ kín" not in html and "già làng" not in html
    data = client.get("/api/search/", {"q": "okapiword"}).json()
    assert [r["record_id"] for r in data["results"]] == [open_record.record_id]
    suggestions = client.get("/api/search/suggest/", {"q": "lễ kí"}).json()["suggestions"]
    assert suggestions == []


@pytest.mark.django_db
def test_stale_document_of_unpublished_page_is_never_shown(two_records):
    open_record, hidden = two_records
    officer = User.objects.create_superuser("officer", "o@example.org", "pw")
    assert {h.record_id for h in search("okapiword", officer).hits} == {
        open_record.record_id,
        hidden.record_id,
    }
    # Unpublished without the index task running: the document lingers.
    RecordPage.objects.filter(pk=hidden.pk).update(live=False)
    assert RecordSearchDocument.objects.filter(page=hidden).exists()
    assert [h.record_id for h in search("okapiword", officer).hits] == [open_record.record_id]


@pytest.mark.django_db
def test_allowed_group_members_find_restricted_records(two_records):
    open_record, hidden = two_records
    community = Group.objects.create(name="Làng Plei")
    allowed = RecordPage.allowed_groups.through.objects
    allowed.create(recordpage_id=hidden.pk, group=community)
    member = User.objects.create_user("member", password="pw")
    outsider = User.objects.create_user("outsider", password="pw")
    member.groups.add(community)
    outsider.groups.add(Group.objects.create(name="Khác"))
    assert search("okapiword", member).count == 2
    assert {h.record_id for h in search("okapiword", member).hits} == {
        open_record.record_id,
        hidden.record_id,
    }
    assert [h.record_id for h in search("okapiword", outsider).hits] == [open_record.record_id]
    # The group list is read from the access rule's own table, never copied:
    # removing the group takes effect before any re-index.
    allowed.filter(recordpage_id=hidden.pk).delete()
    assert [h.record_id for h in search("okapiword", member).hits] == [open_record.record_id]


@pytest.mark.django_db
def test_facet_counts_follow_the_access_copy(two_records):
    result = search("okapiword")
    assert result.count == 1
    groups = {f.label: f.count for f in result.facets["ethnic_group"]}
    assert groups == {"Ba Na": 1}


@pytest.mark.django_db
def test_translated_record_counts_once_in_every_facet(
    two_records, django_capture_on_commit_callbacks
):
    open_record, _hidden = two_records
    english = open_record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Harvest prayer festival"
    english.summary = "Prayers for the harvest, okapiword."
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    documents_of = RecordSearchDocument.objects.filter(record_id=open_record.record_id)
    assert {d.translated for d in documents_of} == {True}

    def facets(result):
        return {name: {f.value: f.count for f in values} for name, values in result.facets.items()}

    # Both translations match: one record everywhere but in the language facet.
    result = search("okapiword")
    assert result.count == 1
    counts = facets(result)
    assert counts["province"] == {open_record.province_id: 1}
    assert sum(counts["ethnic_group"].values()) == 1
    assert counts["kind"] == {"festival": 1}
    assert counts["language"] == {"vi": 1, "en": 1}
    # Only the English translation matches: the record still counts, once.
    result = search("harvest prayers")
    assert result.count == 1
    assert facets(result)["province"] == {open_record.province_id: 1}
    assert facets(result)["language"] == {"en": 1}


@pytest.fixture
def ede_record(archive):
    record = make_record(
        "Lễ cúng bến nước của người Ê Đê",
        groups=("Ê Đê",),
        province="Đắk Lắk",
        summary="Người Ê Đê để lại lễ vật bên bến nước; già làng Ê-đê khấn Yang.",
    )
    documents.rebuild()
    return record


def marked(snippet):
    return re.findall(r"<mark>(.*?)</mark>", snippet)


@pytest.mark.django_db
def test_a_query_with_diacritics_marks_only_the_words_spelled_as_typed(ede_record):
    (hit,) = search("Ê Đê").hits
    assert marked(hit.snippet) == ["Ê", "Đê", "Ê", "đê"]


@pytest.mark.django_db
def test_a_query_without_diacritics_marks_every_word_folding_to_it(ede_record):
    (hit,) = search("e de").hits
    assert marked(hit.snippet) == ["Ê", "Đê", "để", "Ê", "đê"]
