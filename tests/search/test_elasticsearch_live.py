"""Against a real Elasticsearch 8: run with ELASTICSEARCH_URL=http://host:9200.

Each test builds its own indices under a per-run prefix with ``update_index``
(so the alias swap runs for real) and deletes them afterwards.
"""

import os
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import call_command

from heritage.access import Access
from search.elasticsearch_query import ElasticsearchSearch
from search.query import SearchParams, search_records, suggest_records
from tests.factories import make_record
from tests.search.live_elasticsearch import ELASTICSEARCH_URL, live_backend

pytestmark = pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="live Elasticsearch tests need ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200)",
)


@pytest.fixture
def live_es(settings):
    with live_backend(settings, f"heritage_test_{os.getpid()}_") as backend:
        yield backend


@pytest.fixture
def corpus(archive, live_es):
    community = Group.objects.create(name="Buôn Đắk Lắk")
    records = {
        "longtong": make_record("Lễ hội Lồng Tồng", groups=("Tày",)),
        "damtrau": make_record(
            "Lễ hội đâm trâu", groups=("Ba Na",), province="Gia Lai", summary="Tạ ơn thần linh."
        ),
        "traucau": make_record(
            "Tục ăn trầu cau", kind="custom", groups=("Kinh",), province="Lạng Sơn"
        ),
        "luamoi": make_record("Lễ mừng lúa mới", groups=("Xtiêng",), province="Đồng Nai"),
        "congchieng": make_record(
            "Không gian văn hóa cồng chiêng", groups=("Ê Đê",), province="Đắk Lắk"
        ),
        "secret": make_record(
            "Lễ cúng rừng thiêng", groups=("Ê Đê",), province="Đắk Lắk", access=Access.RESTRICTED
        ),
    }
    records["secret"].allowed_groups.set([community])
    records["secret"].save()
    # Two rebuilds: the second swaps the alias from a live index to a new one.
    call_command("update_index", stdout=StringIO())
    call_command("update_index", stdout=StringIO())
    records["community"] = community
    return records


def titles(text, user=None, **params):
    result = search_records(
        SearchParams(q=text, **params), user or AnonymousUser(), backend=ElasticsearchSearch()
    )
    return [hit.page.title for hit in result.hits]


@pytest.mark.django_db
def test_folded_words_find_the_vietnamese_title(corpus):
    assert titles("le hoi long tong")[0] == "Lễ hội Lồng Tồng"
    assert titles("dam trau")[0] == "Lễ hội đâm trâu"


@pytest.mark.django_db
def test_diacritics_typed_rank_the_same_spelling_first(corpus):
    assert titles("trâu")[0] == "Lễ hội đâm trâu"
    assert titles("trầu")[0] == "Tục ăn trầu cau"


@pytest.mark.django_db
def test_an_exonym_finds_the_group_record(corpus):
    assert "Lễ mừng lúa mới" in titles("Stieng")
    assert "Lễ mừng lúa mới" in titles("S'tiêng")


@pytest.mark.django_db
def test_autocomplete_folds_what_was_typed(corpus):
    hits = suggest_records("cồng chi", AnonymousUser(), backend=ElasticsearchSearch())
    assert [hit.page.title for hit in hits] == ["Không gian văn hóa cồng chiêng"]
    hits = suggest_records("cong chi", AnonymousUser(), backend=ElasticsearchSearch())
    assert [hit.page.title for hit in hits] == ["Không gian văn hóa cồng chiêng"]


@pytest.mark.django_db
def test_restricted_records_only_for_those_allowed(corpus):
    assert "Lễ cúng rừng thiêng" not in titles("rung thieng")
    member = User.objects.create_user("member")
    member.groups.add(corpus["community"])
    assert titles("rung thieng", member) == ["Lễ cúng rừng thiêng"]
    officer = User.objects.create_superuser("officer")
    assert titles("rung thieng", officer) == ["Lễ cúng rừng thiêng"]


@pytest.mark.django_db
def test_facets_count_the_whole_result_set(corpus):
    result = search_records(SearchParams(q="le"), AnonymousUser(), backend=ElasticsearchSearch())
    # Lồng Tồng, đâm trâu, lúa mới; the restricted festival is not counted.
    kinds = {f.value: f.count for f in result.facets["kind"]}
    assert kinds == {"festival": 3}
    assert result.count == 3
