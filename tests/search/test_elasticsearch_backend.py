"""What the Elasticsearch backend sends: index settings, mappings, documents, bulk, alias swap.

Every assertion is on the JSON the real ``elasticsearch`` client put on the
wire to a recording fake server (tests/search/elasticsearch_fake.py).
"""

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from heritage.access import Access
from heritage.models import EthnicGroup, FestivalPage, RecordPage
from tests.factories import make_record
from tests.search.elasticsearch_fake import (  # noqa: F401
    PAGE_INDEX,
    es_settings_fixture,
    fake_es_fixture,
)

TEXT_FIELD = {
    "type": "text",
    "analyzer": "vi_folding",
    "fields": {
        "exact": {"type": "text", "analyzer": "vi_exact"},
        "en": {"type": "text", "analyzer": "en_stem"},
    },
}
AUTOCOMPLETE_FIELD = {
    "type": "text",
    "analyzer": "autocomplete_index",
    "search_analyzer": "autocomplete_search",
}


def page_index():
    return get_search_backend().get_index_for_model(FestivalPage)


def test_modelsearch_is_not_installed_beside_wagtail_search():
    # Both together pass the system checks but break every search.
    assert "wagtail.search" in django_settings.INSTALLED_APPS
    assert "modelsearch" not in django_settings.INSTALLED_APPS


def test_backend_is_the_archive_backend(es_settings):
    from search.backends.elasticsearch import HeritageAtomicRebuilder, HeritageSearchBackend

    backend = get_search_backend()
    assert isinstance(backend, HeritageSearchBackend)
    assert backend.rebuilder_class is HeritageAtomicRebuilder


def test_index_settings_define_vietnamese_english_and_autocomplete_analysers(fake_es, es_settings):
    page_index().put()

    (request,) = fake_es.requests
    assert request.line == f"PUT /{PAGE_INDEX}"
    analysis = request.body["settings"]["analysis"]

    # Folding keeps the original token beside the folded one: exact forms score higher.
    assert analysis["filter"]["vi_asciifolding"] == {
        "type": "asciifolding",
        "preserve_original": True,
    }
    assert analysis["char_filter"]["vi_d_stroke"] == {
        "type": "mapping",
        "mappings": ["đ => d", "Đ => D"],
    }
    apostrophes = analysis["char_filter"]["vi_apostrophes"]["mappings"]
    assert "' => " in apostrophes and "\u2019 => " in apostrophes
    assert analysis["analyzer"]["vi_folding"] == {
        "type": "custom",
        "char_filter": ["vi_apostrophes", "vi_d_stroke"],
        "tokenizer": "standard",
        "filter": ["lowercase", "vi_asciifolding"],
    }
    # Unnamed text fields (modelsearch's _all_text copies) fold as well.
    assert analysis["analyzer"]["default"] == analysis["analyzer"]["vi_folding"]
    assert analysis["analyzer"]["vi_exact"]["filter"] == ["lowercase"]
    assert "vi_d_stroke" not in analysis["analyzer"]["vi_exact"]["char_filter"]

    assert analysis["filter"]["english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert analysis["analyzer"]["en_stem"]["filter"] == [
        "english_possessive_stemmer",
        "lowercase",
        "asciifolding",
        "english_stop",
        "english_stemmer",
    ]

    # Autocomplete folds on both sides (wagtail/wagtail#13005).
    assert analysis["analyzer"]["autocomplete_index"]["filter"] == [
        "lowercase",
        "asciifolding",
        "autocomplete_edge_ngram",
    ]
    assert analysis["filter"]["autocomplete_edge_ngram"]["type"] == "edge_ngram"
    assert analysis["analyzer"]["autocomplete_search"] == {
        "type": "custom",
        "char_filter": ["vi_apostrophes", "vi_d_stroke"],
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    # modelsearch's own analysers stay for anything still naming them.
    assert "edgengram_analyzer" in analysis["analyzer"]


def test_record_mapping_sends_names_through_the_vietnamese_and_english_analysers(
    fake_es, es_settings
):
    page_index().add_model(FestivalPage)

    (request,) = fake_es.requests
    assert request.line == f"PUT /{PAGE_INDEX}/_mapping"
    props = request.body["properties"]

    assert props["title"] == {**TEXT_FIELD, "copy_to": ["_all_text", "_all_text_boost_2_0"]}
    assert props["heritage_recordpage__native_name"] == {
        **TEXT_FIELD,
        "copy_to": ["_all_text", "_all_text_boost_3_0"],
    }
    assert props["heritage_recordpage__summary"]["analyzer"] == "vi_folding"
    assert props["heritage_recordpage__body"]["fields"] == TEXT_FIELD["fields"]

    groups = props["heritage_recordpage__ethnic_groups"]
    assert groups["type"] == "nested"
    for name in ("name_vi", "name_en", "other_names"):
        assert groups["properties"][name] == {**TEXT_FIELD, "copy_to": "_all_text"}
    for relation in ("province", "province_as_recorded"):
        province = props[f"heritage_recordpage__{relation}"]
        assert province["type"] == "nested"
        assert province["properties"]["name_vi"] == {**TEXT_FIELD, "copy_to": "_all_text"}
        assert province["properties"]["name_en"] == {**TEXT_FIELD, "copy_to": "_all_text"}

    assert props["title_edgengrams"] == AUTOCOMPLETE_FIELD
    assert props["heritage_recordpage__native_name_edgengrams"] == AUTOCOMPLETE_FIELD
    assert props["_edgengrams"] == AUTOCOMPLETE_FIELD
    assert props["_all_text"] == TEXT_FIELD
    assert props["_all_text_boost_2_0"] == TEXT_FIELD

    assert props["record_id"] == {"type": "keyword"}
    assert props["record_sort_title"] == {"type": "keyword"}
    assert props["record_access"] == {"type": "keyword"}
    assert props["record_allowed_group_ids"] == {"type": "long"}
    assert props["record_ethnic_group_ids"] == {"type": "long"}
    assert props["record_province_id"] == {"type": "long"}
    assert props["record_kind"] == {"type": "keyword"}
    assert props["record_lunar_month"] == {"type": "integer"}
    assert props["record_media_types"] == {"type": "keyword"}
    assert props["record_language"] == {"type": "keyword"}
    assert props["live_filter"] == {"type": "boolean"}


def test_non_record_pages_get_no_record_fields(fake_es, es_settings):
    from heritage.models import HomePage

    page_index().add_model(HomePage)
    props = fake_es.requests[-1].body["properties"]
    assert not any(name.startswith("record_") for name in props)


def _last_document(fake_es, page):
    docs = [r for r in fake_es.requests if r.path == f"/{PAGE_INDEX}/_doc/{page.pk}"]
    assert docs, "the record was never sent to the index"
    return docs[-1].body


@pytest.mark.django_db
def test_publishing_sends_the_record_document_with_access_and_facets(
    archive, fake_es, es_settings, django_capture_on_commit_callbacks
):
    community = Group.objects.create(name="Làng Tày")
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(
            "Lễ hội Lồng Tồng",
            native_name="Lồng tồng (Hoà)",
            lunar_month=1,
            groups=("Tày", "Nùng"),
            access=Access.RESTRICTED,
        )
    with django_capture_on_commit_callbacks(execute=True):
        record.allowed_groups.set([community])
        record.save_revision().publish()

    doc = _last_document(fake_es, record)
    assert doc["_django_content_type"][:3] == [
        "heritage.FestivalPage",
        "heritage.RecordPage",
        "wagtailcore.Page",
    ]
    assert doc["live_filter"] is True
    # Texts arrive in one form: NFC, lower-case, one tone placement ("hoà" -> "hòa").
    assert doc["title"] == "lễ hội lồng tồng"
    assert doc["heritage_recordpage__native_name"] == "lồng tồng (hòa)"
    assert doc["title_filter"] == "Lễ hội Lồng Tồng"  # filters keep the stored value
    names = {g["name_vi"] for g in doc["heritage_recordpage__ethnic_groups"]}
    assert names == {"tày", "nùng"}
    assert doc["heritage_recordpage__province"]["name_vi"] == "tuyên quang"

    expected_groups = sorted(
        EthnicGroup.objects.filter(name_vi__in=["Tày", "Nùng"]).values_list("pk", flat=True)
    )
    assert doc["record_id"] == record.record_id
    assert doc["record_sort_title"] == "le hoi long tong"
    assert doc["record_access"] == "restricted"
    assert doc["record_allowed_group_ids"] == [community.pk]
    assert doc["record_ethnic_group_ids"] == expected_groups
    assert doc["record_province_id"] == record.province_id
    assert doc["record_kind"] == "festival"
    assert doc["record_lunar_month"] == 1
    assert doc["record_media_types"] == []
    assert doc["record_language"] == "vi"


@pytest.mark.django_db
def test_bulk_indexing_sends_chunks_of_bulk_chunk_size(archive, fake_es, es_settings):
    records = [make_record(f"Lễ hội số {n}") for n in range(5)]
    fake_es.clear()

    page_index().add_items(
        FestivalPage, FestivalPage.objects.filter(pk__in=[r.pk for r in records])
    )

    bulks = [r for r in fake_es.requests if r.path.endswith("/_bulk")]
    assert [r.line for r in bulks] == [f"PUT /{PAGE_INDEX}/_bulk"] * 3 or [
        r.line for r in bulks
    ] == [f"POST /{PAGE_INDEX}/_bulk"] * 3
    # NDJSON: one action line and one document line per record; chunk size 2.
    assert [len(r.body) // 2 for r in bulks] == [2, 2, 1]
    sent_ids = [line["index"]["_id"] for r in bulks for line in r.body[::2]]
    assert sorted(sent_ids) == sorted(str(r.pk) for r in records)
    assert all(doc["record_kind"] == "festival" for r in bulks for doc in r.body[1::2])


def _rebuild_requests(fake_es):
    """The page index's requests, with the random suffix of the new index named NEW."""
    requests = fake_es.requests_to(PAGE_INDEX)
    new = next(r.path.strip("/") for r in requests if r.line.startswith(f"PUT /{PAGE_INDEX}_"))
    lines = []
    for r in requests:
        line = r.line.replace(new, "NEW")
        if r.path == "/_aliases":
            line += " " + repr(
                [
                    (kind, spec["index"].replace(new, "NEW"))
                    for action in r.body["actions"]
                    for kind, spec in action.items()
                ]
            )
        lines.append(line)
    return new, lines


def _squash(lines):
    """Collapse runs of the same request line (one mapping per page model)."""
    out = []
    for line in lines:
        if not out or out[-1] != line:
            out.append(line)
    return out


@pytest.mark.django_db
def test_update_index_builds_a_new_index_then_swaps_the_alias(archive, fake_es, es_settings):
    make_record("Lễ hội Lồng Tồng")
    make_record("Lễ hội đâm trâu", province="Gia Lai", groups=("Ba Na",))

    # First atomic rebuild: no alias yet, nothing to remove.
    fake_es.clear()
    call_command("update_index", stdout=StringIO())
    first, lines = _rebuild_requests(fake_es)
    bulk = [line for line in lines if line.endswith("/_bulk")]
    assert bulk and all(line.split()[1] == "/NEW/_bulk" for line in bulk)
    assert _squash(lines) == [
        f"PUT /{first}".replace(first, "NEW"),
        "PUT /NEW/_mapping",
        bulk[0],
        "POST /NEW/_refresh",
        f"HEAD /_alias/{PAGE_INDEX}",
        f"DELETE /{PAGE_INDEX}",
        f"PUT /NEW/_alias/{PAGE_INDEX}",
    ]
    assert fake_es.aliases[PAGE_INDEX] == {first}

    # Every later rebuild: new index, bulk, then one atomic alias swap, then drop the old.
    fake_es.clear()
    call_command("update_index", stdout=StringIO())
    second, lines = _rebuild_requests(fake_es)
    assert second != first
    lines = [line.replace(first, "OLD") for line in lines]
    bulk = [line for line in lines if line.endswith("/_bulk")]
    assert _squash(lines) == [
        "PUT /NEW",
        "PUT /NEW/_mapping",
        bulk[0],
        "POST /NEW/_refresh",
        f"HEAD /_alias/{PAGE_INDEX}",
        f"GET /_alias/{PAGE_INDEX}",
        "POST /_aliases [('remove', 'OLD'), ('add', 'NEW')]",
        "DELETE /OLD",
    ]
    assert fake_es.aliases[PAGE_INDEX] == {second}
    assert first not in fake_es.indices

    # The new index was created with the archive's analysers and got the records.
    assert "vi_folding" in fake_es.indices[second]["settings"]["analysis"]["analyzer"]
    sent = [
        doc
        for r in fake_es.requests
        if r.path == f"/{second}/_bulk"
        for doc in r.body[1::2]
        if "record_kind" in doc
    ]
    assert sorted(doc["title"] for doc in sent) == ["lễ hội lồng tồng", "lễ hội đâm trâu"]


def test_record_page_shares_the_page_index(es_settings):
    backend = get_search_backend()
    assert backend.get_index_for_model(RecordPage).name == PAGE_INDEX
