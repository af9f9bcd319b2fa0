"""The Elasticsearch record query: structure, access filters, facets, and the request sent."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction

from heritage.access import Access, Audience
from heritage.models import EthnicGroup, FestivalPage, RecordPage
from search.backends.elasticsearch import HeritageMapping
from search.documents import document_fields
from search.elasticsearch_query import (
    EXACT_FORM_TIER,
    OWN_GROUP_NAME_TIER,
    PHRASE_TIER,
    ElasticsearchSearch,
    build_facet_aggs,
    build_record_query,
    build_search_body,
    build_suggest_body,
)
from search.query import SearchParams, parse_query, search_records, suggest_records
from search.text import exact_tokens, tokens
from tests.factories import make_record
from tests.search.corpus import load_corpus, load_sets
from tests.search.elasticsearch_fake import (  # noqa: F401
    PAGE_INDEX,
    empty_search_response,
    es_settings_fixture,
    fake_es_fixture,
)

CONTENT_TYPE = {"term": {"_django_content_type": "heritage.RecordPage"}}
LIVE = {"term": {"live_filter": True}}
PUBLIC = {"term": {"record_access": "public"}}


def query_for(text, **params):
    return build_record_query(parse_query(text), SearchParams(q=text, **params), Audience.PUBLIC)


def test_anonymous_sees_only_public_live_records():
    query = query_for("le hoi long tong")
    assert query["bool"]["filter"] == [CONTENT_TYPE, LIVE, PUBLIC]


def test_group_member_also_sees_records_shared_with_their_groups():
    query = build_record_query(
        parse_query("cồng chiêng"), SearchParams(), Audience(group_ids=frozenset({7, 3}))
    )
    assert query["bool"]["filter"] == [
        CONTENT_TYPE,
        LIVE,
        {
            "bool": {
                "should": [PUBLIC, {"terms": {"record_allowed_group_ids": [3, 7]}}],
                "minimum_should_match": 1,
            }
        },
    ]


def test_officer_sees_every_live_record():
    query = build_record_query(
        parse_query("cồng chiêng"), SearchParams(), Audience(is_officer=True)
    )
    assert query["bool"]["filter"] == [CONTENT_TYPE, LIVE]


def test_words_must_all_match_with_an_explicit_and_operator():
    query = query_for("Lễ hội Lồng Tồng")
    assert query["bool"]["must"] == [
        {
            "multi_match": {
                "query": "le hoi long tong",
                "type": "best_fields",
                "operator": "and",
                "fields": ["_all_text", "_all_text.en"],
            }
        }
    ]


def test_titles_outrank_bodies_and_exact_phrases_and_diacritics_rank_first():
    should = query_for("Lễ hội Lồng Tồng")["bool"]["should"]
    names, _exact_tier, exact, _phrase_tier, phrase, _own_group, groups, province, *rest = should
    (province_as_recorded,) = rest
    assert names["multi_match"]["operator"] == "and"
    assert names["multi_match"]["fields"][:2] == ["title^4", "heritage_recordpage__native_name^4"]
    assert "heritage_recordpage__summary^2" in names["multi_match"]["fields"]
    assert exact["multi_match"] == {
        "query": "lễ hội lồng tồng",
        "type": "best_fields",
        "operator": "and",
        "fields": [
            "title.exact^4",
            "heritage_recordpage__native_name.exact^4",
            "heritage_recordpage__summary.exact^2",
            "_all_text.exact",
        ],
        "boost": 2,
    }
    assert phrase["multi_match"] == {
        "query": "le hoi long tong",
        "type": "phrase",
        "fields": [
            "title^4",
            "heritage_recordpage__native_name^4",
            "heritage_recordpage__summary^2",
            "_all_text",
        ],
        "boost": 3,
    }
    assert groups["nested"]["path"] == "heritage_recordpage__ethnic_groups"
    assert groups["nested"]["query"]["multi_match"]["fields"] == [
        "heritage_recordpage__ethnic_groups.name_vi",
        "heritage_recordpage__ethnic_groups.name_en",
        "heritage_recordpage__ethnic_groups.other_names",
    ]
    assert province["nested"]["path"] == "heritage_recordpage__province"
    assert province_as_recorded["nested"]["path"] == "heritage_recordpage__province_as_recorded"


def test_an_exact_form_in_any_field_outranks_every_folded_match():
    # "trầu" in a record's keywords or body, all in _all_text, above "trâu" in a title.
    should = query_for("trầu")["bool"]["should"]
    tiers = [clause["constant_score"] for clause in should if "constant_score" in clause]
    exact_tier, own_group_tier = tiers
    assert exact_tier == {
        "filter": {"match": {"_all_text.exact": {"query": "trầu", "operator": "and"}}},
        "boost": EXACT_FORM_TIER,
    }
    # An exact form alone outranks a folded match that makes every tier below it.
    assert EXACT_FORM_TIER > PHRASE_TIER + own_group_tier["boost"]


def test_words_as_a_phrase_outrank_a_group_named_but_not_an_exact_form():
    should = query_for("Lễ hội Lồng Tồng")["bool"]["should"]
    tiers = [clause["constant_score"] for clause in should if "constant_score" in clause]
    assert [tier["boost"] for tier in tiers] == [EXACT_FORM_TIER, PHRASE_TIER, OWN_GROUP_NAME_TIER]
    assert tiers[1]["filter"] == {"match_phrase": {"_all_text": "le hoi long tong"}}
    assert EXACT_FORM_TIER > PHRASE_TIER > OWN_GROUP_NAME_TIER


def test_a_groups_own_name_ranks_its_records_above_groups_that_share_it_as_other_name():
    # "Tày Đăm" is one of the Thái's other names: only own names make the tier.
    (tier,) = [
        c["constant_score"]
        for c in query_for("Tày")["bool"]["should"]
        if "constant_score" in c and "nested" in c["constant_score"]["filter"]
    ]
    assert tier == {
        "filter": {
            "nested": {
                "path": "heritage_recordpage__ethnic_groups",
                "query": {
                    "multi_match": {
                        "query": "tày",
                        "fields": [
                            "heritage_recordpage__ethnic_groups.name_vi.exact",
                            "heritage_recordpage__ethnic_groups.name_en.exact",
                        ],
                        "operator": "or",
                    }
                },
            }
        },
        "boost": OWN_GROUP_NAME_TIER,
    }


def test_a_group_named_without_diacritics_compares_folded_own_names():
    (tier,) = [
        c["constant_score"]
        for c in query_for("tay")["bool"]["should"]
        if "constant_score" in c and "nested" in c["constant_score"]["filter"]
    ]
    assert tier["filter"]["nested"]["query"]["multi_match"]["fields"] == [
        "heritage_recordpage__ethnic_groups.name_vi",
        "heritage_recordpage__ethnic_groups.name_en",
    ]


def test_words_typed_without_diacritics_add_no_exact_form_clause():
    should = query_for("dam trau")["bool"]["should"]
    assert not any(".exact" in str(clause) for clause in should)


def test_any_word_operator_and_quoted_phrases():
    query = build_record_query(
        parse_query('"đâm trâu" Gia Lai', operator="or"), SearchParams(), Audience.PUBLIC
    )
    (any_of,) = query["bool"]["must"]
    assert any_of["bool"]["minimum_should_match"] == 1
    assert any_of["bool"]["should"] == [
        {
            "multi_match": {
                "query": "gia lai",
                "type": "best_fields",
                "operator": "or",
                "fields": ["_all_text", "_all_text.en"],
            }
        },
        {"match_phrase": {"_all_text": "dam trau"}},
    ]


def test_prefix_query_lets_the_last_word_be_incomplete():
    query = build_record_query(
        parse_query("cồng chi", prefix=True), SearchParams(), Audience.PUBLIC
    )
    assert query["bool"]["must"] == [
        {
            "multi_match": {
                "query": "cong",
                "type": "best_fields",
                "operator": "and",
                "fields": ["_all_text", "_all_text.en"],
            }
        },
        {"match_bool_prefix": {"_all_text": "chi"}},
    ]


def test_empty_query_matches_everything_visible_in_title_order():
    body = build_search_body(parse_query(""), SearchParams(), Audience.PUBLIC)
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"][0] == {"record_sort_title": "asc"}


def test_chosen_facet_values_filter_the_query():
    params = SearchParams(
        ethnic_group=[5],
        province=[2, 9],
        kind=["festival"],
        lunar_month=[1],
        media_type=["video"],
        language=["vi"],
    )
    query = build_record_query(parse_query("le hoi"), params, Audience.PUBLIC)
    assert query["bool"]["filter"][3:] == [
        {"terms": {"record_ethnic_group_ids": [5]}},
        {"terms": {"record_province_id": [2, 9]}},
        {"terms": {"record_kind": ["festival"]}},
        {"terms": {"record_lunar_month": [1]}},
        {"terms": {"record_media_types": ["video"]}},
        {"terms": {"record_language": ["vi"]}},
    ]


def test_facets_are_aggregations_counting_records():
    records = {"cardinality": {"field": "record_id", "precision_threshold": 40000}}
    aggs = build_facet_aggs()
    assert aggs["records"] == records
    assert aggs["ethnic_group"] == {
        "terms": {"field": "record_ethnic_group_ids", "size": 100},
        "aggs": {"records": records},
    }
    assert aggs["province"]["terms"] == {"field": "record_province_id", "size": 100}
    assert aggs["kind"]["terms"]["field"] == "record_kind"
    assert aggs["lunar_month"]["terms"] == {"field": "record_lunar_month", "size": 13}
    assert aggs["media_type"]["terms"]["field"] == "record_media_types"
    # Languages count pages (translations), as on the database backend.
    assert aggs["language"] == {"terms": {"field": "record_language", "size": 10}}


def test_search_body_collapses_translations_and_pages():
    body = build_search_body(
        parse_query("le hoi"), SearchParams(q="le hoi", page=3, page_size=10), Audience.PUBLIC
    )
    assert body["collapse"] == {"field": "record_id"}
    assert body["from"] == 20 and body["size"] == 10
    assert body["sort"] == [{"_score": "desc"}, {"record_id": "asc"}]
    assert body["track_total_hits"] is True
    assert body["_source"] is False
    assert body["fields"] == ["record_id"]


def _mapped_fields():
    """Every field path the record mapping defines, sub-fields and nested ones included."""
    paths = set()

    def walk(properties, prefix=""):
        for name, spec in properties.items():
            paths.add(prefix + name)
            for sub in spec.get("fields", {}):
                paths.add(f"{prefix}{name}.{sub}")
            if "properties" in spec:
                walk(spec["properties"], f"{prefix}{name}.")

    walk(HeritageMapping(FestivalPage).get_mapping()["properties"])
    return paths


def _referenced_fields(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"field", "path"} and isinstance(value, str):
                yield value
            elif key == "fields" and isinstance(value, list):
                yield from (v.split("^")[0] for v in value)
            elif key in {"term", "terms", "match_phrase", "match_bool_prefix"}:
                # In aggregations, "terms" holds options ("field", "size"), not field names.
                yield from (k for k in value if k not in {"field", "size"})
            elif key == "sort":
                yield from (k for clause in value for k in clause if k != "_score")
            yield from _referenced_fields(value)
    elif isinstance(node, list):
        for item in node:
            yield from _referenced_fields(item)


def test_every_field_the_queries_name_exists_in_the_mapping():
    params = SearchParams(
        q='"a b" c d',
        ethnic_group=[1],
        province=[1],
        kind=["x"],
        lunar_month=[1],
        media_type=["video"],
        language=["vi"],
        sort="lunar_month",
    )
    bodies = [
        build_search_body(
            parse_query('"đâm trâu" cồng chiêng', prefix=True),
            params,
            Audience(group_ids=frozenset({1})),
        ),
        build_search_body(
            parse_query("Lễ hội Lồng Tồng"), params, Audience(group_ids=frozenset({1}))
        ),
        build_suggest_body(
            parse_query("cồng chi", prefix=True), Audience(group_ids=frozenset({1}))
        ),
    ]
    referenced = {name for body in bodies for name in _referenced_fields(body)}
    assert referenced - _mapped_fields() == set()
    assert "title_edgengrams" in referenced and "heritage_recordpage__ethnic_groups" in referenced


def test_suggest_body_uses_the_folding_autocomplete_fields():
    body = build_suggest_body(parse_query("Cồng chi", prefix=True), Audience.PUBLIC, limit=5)
    (match,) = body["query"]["bool"]["must"]
    assert match == {
        "multi_match": {
            "query": "cong chi",
            "fields": ["title_edgengrams^4", "heritage_recordpage__native_name_edgengrams"],
            "operator": "and",
        }
    }
    assert body["query"]["bool"]["filter"] == [CONTENT_TYPE, LIVE, PUBLIC]
    assert body["size"] == 5 and body["collapse"] == {"field": "record_id"}


# --- through search.query.search_records, on the wire ------------------------------------


def _hit(record):
    return {"_id": str(record.pk), "fields": {"record_id": [record.record_id]}}


@pytest.fixture
def records(archive, es_settings):
    public = make_record("Lễ hội Lồng Tồng", lunar_month=1)
    restricted = make_record(
        "Lễ cúng rừng", groups=("Tày",), access=Access.RESTRICTED, lunar_month=2
    )
    community = Group.objects.create(name="Làng Tày")
    restricted.allowed_groups.set([community])
    restricted.save()
    return {"public": public, "restricted": restricted, "community": community}


def _searches(fake_es):
    return [r for r in fake_es.requests if r.path == f"/{PAGE_INDEX}/_search"]


@pytest.mark.django_db
def test_search_records_sends_the_query_and_reads_hits_and_facets(records, fake_es):
    public = records["public"]
    tay = EthnicGroup.objects.get(name_vi="Tày")
    fake_es.search_response = empty_search_response(
        hits=[_hit(public)],
        total=2,
        aggregations={
            "records": {"value": 1},
            "ethnic_group": {"buckets": [{"key": tay.pk, "doc_count": 2, "records": {"value": 1}}]},
            "kind": {"buckets": [{"key": "festival", "doc_count": 1, "records": {"value": 1}}]},
            "lunar_month": {"buckets": [{"key": 1, "doc_count": 1, "records": {"value": 1}}]},
            "language": {"buckets": [{"key": "vi", "doc_count": 2}]},
        },
    )
    fake_es.clear()

    params = SearchParams(q="le hoi long tong", kind=["festival"])
    result = search_records(params, AnonymousUser(), backend=ElasticsearchSearch())

    (request,) = _searches(fake_es)
    assert request.method == "POST"
    assert request.body == build_search_body(parse_query(params.q), params, Audience.PUBLIC)
    assert PUBLIC in request.body["query"]["bool"]["filter"]
    assert [hit.page.pk for hit in result.hits] == [public.pk]
    assert result.count == 1
    assert [(f.value, f.count) for f in result.facets["ethnic_group"]] == [(tay.pk, 1)]
    assert [(f.value, f.count, f.selected) for f in result.facets["kind"]] == [
        ("festival", 1, True)
    ]
    assert [(f.value, f.count) for f in result.facets["language"]] == [("vi", 2)]


@pytest.mark.django_db
def test_restricted_hits_are_filtered_in_the_query_for_each_kind_of_user(records, fake_es):
    restricted, community = records["restricted"], records["community"]
    member = User.objects.create_user("member")
    member.groups.add(community)
    officer = User.objects.create_superuser("officer")
    fake_es.search_response = empty_search_response(hits=[_hit(restricted)])

    def access_clause(user):
        fake_es.clear()
        result = search_records(SearchParams(q="rung"), user, backend=ElasticsearchSearch())
        (request,) = _searches(fake_es)
        return request.body["query"]["bool"]["filter"][2:], [h.page.pk for h in result.hits]

    anonymous_filter, anonymous_hits = access_clause(AnonymousUser())
    assert anonymous_filter == [PUBLIC]
    # Were the server ever to answer with a record the visitor may not see
    # (indexed before an access change), it is still never shown.
    assert anonymous_hits == []

    member_filter, member_hits = access_clause(member)
    assert member_filter == [
        {
            "bool": {
                "should": [PUBLIC, {"terms": {"record_allowed_group_ids": [community.pk]}}],
                "minimum_should_match": 1,
            }
        }
    ]
    assert member_hits == [restricted.pk]

    officer_filter, officer_hits = access_clause(officer)
    assert officer_filter == []
    assert officer_hits == [restricted.pk]


@pytest.mark.django_db
def test_suggest_records_asks_the_autocomplete_fields(records, fake_es):
    public = records["public"]
    fake_es.search_response = empty_search_response(hits=[_hit(public)])
    fake_es.clear()

    hits = suggest_records("Lồng Tồ", AnonymousUser(), backend=ElasticsearchSearch())

    (request,) = _searches(fake_es)
    assert request.body == build_suggest_body(parse_query("Lồng Tồ", prefix=True), Audience.PUBLIC)
    assert [hit.page.pk for hit in hits] == [public.pk]


@pytest.mark.django_db
def test_elasticsearch_hits_mark_the_words_spelled_as_typed(archive, es_settings, fake_es):
    record = make_record(
        "Lễ cúng bến nước",
        groups=("Ê Đê",),
        province="Đắk Lắk",
        summary="Người Ê Đê để lại lễ vật bên bến nước.",
    )
    fake_es.search_response = empty_search_response(hits=[_hit(record)])

    def marked(q):
        result = search_records(SearchParams(q=q), AnonymousUser(), backend=ElasticsearchSearch())
        (hit,) = result.hits
        return re.findall(r"<mark>(.*?)</mark>", hit.snippet)

    assert marked("Ê Đê") == ["Ê", "Đê"]
    assert marked("e de") == ["Ê", "Đê", "để"]


# --- the relevance set's tier cases, against the query's tiers ---------------------------
# Cases the tiers alone decide. In E25 ("đâm trâu") both records hold the phrase
# spelled as typed; BM25's title boost orders them, which only a server computes.
TIER_CASES = [c for c in load_sets()[1] if c["must_not_rank_above_relevant"] and c["qid"] != "E25"]


def _tier_score(should, fields, groups):
    """What the query's constant-score tiers give one record, matched as the mapping
    analyses it: ``.exact`` fields on exact forms, the others folded; ``_all_text``
    holds the record's title, native name, names (groups, places, keywords) and body."""

    def words(kind):
        return f"{fields[f'title_{kind}']} {fields[f'names_{kind}']} {fields[f'body_{kind}']}"

    score = 0
    for clause in should:
        tier = clause.get("constant_score")
        if tier is None:
            continue
        test = tier["filter"]
        if "match" in test:
            ((field, spec),) = test["match"].items()
            present = set(words("exact" if field.endswith(".exact") else "folded").split())
            found = [word in present for word in spec["query"].split()]
            matched = all(found) if spec["operator"] == "and" else any(found)
        elif "match_phrase" in test:
            (phrase,) = test["match_phrase"].values()
            matched = f" {phrase} " in f" {words('folded')} "
        else:
            multi_match = test["nested"]["query"]["multi_match"]
            form = exact_tokens if multi_match["fields"][0].endswith(".exact") else tokens
            names = {
                word
                for group in groups
                for name in (group.name_vi, group.name_en)
                for word in form(name)
            }
            matched = any(word in names for word in multi_match["query"].split())
        score += tier["boost"] if matched else 0
    return score


@pytest.fixture(scope="module")
def relevance_corpus(django_db_setup, django_db_blocker):
    corpus, _cases = load_sets()
    with django_db_blocker.unblock(), transaction.atomic():
        slug_of = load_corpus(corpus)
        pages = {
            slug: RecordPage.objects.get(record_id=record_id, locale__language_code="vi").specific
            for record_id, slug in slug_of.items()
        }
        yield pages
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("case", TIER_CASES, ids=[c["qid"] for c in TIER_CASES])
def test_relevance_cases_tiers_rank_relevant_records_above_the_others(relevance_corpus, case):
    should = query_for(case["query"])["bool"]["should"]

    def score(slug):
        page = relevance_corpus[slug]
        return _tier_score(should, document_fields(page), page.ethnic_groups.all())

    lowest_relevant = min(score(slug) for slug in case["relevant"])
    for slug in case["must_not_rank_above_relevant"]:
        assert score(slug) < lowest_relevant, f"{case['query']!r}: {slug} ties or outranks"
