"""Relevance on the embedded backend (SQLite or PostgreSQL, as DATABASE_URL says).

The starter set's measured cases plus ours, over the corpus loaded as real
records (English documents as English translations), counting the top 5.
Run with ``-s`` to see recall@5 and MRR for the backend.
"""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from search.query import SearchParams, search_records, suggest_records
from tests.search.corpus import load_corpus, load_sets, record_key

CORPUS, CASES = load_sets()
TOP = 5
OUTCOMES = {}


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        slug_of = load_corpus(CORPUS)
        yield slug_of
        transaction.set_rollback(True)


def run_case(case):
    """Ranked record slugs (at most 20) for one case, as its ``api`` says."""
    query = case["query"]
    if query.startswith("NFD:"):
        query = unicodedata.normalize("NFD", query[4:])
    user = AnonymousUser()
    if case["api"] == "autocomplete":
        return [hit.record_id for hit in suggest_records(query, user, limit=20)]
    if case["api"] == "phrase" and '"' not in query:
        query = f'"{query}"'
    operator = "or" if case["api"] == "search_or" or case["operator"] == "or" else "and"
    params = SearchParams(q=query, operator=operator, page_size=20)
    return [hit.record_id for hit in search_records(params, user).hits]


def relevant_of(case):
    return list(dict.fromkeys(record_key(slug) for slug in case["relevant"]))


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case["qid"] for case in CASES])
def test_case(corpus, case):
    ranked = [corpus[record_id] for record_id in run_case(case)]
    relevant = relevant_of(case)
    top = ranked[:TOP]
    found = [slug for slug in relevant if slug in top]
    first = next((i for i, slug in enumerate(ranked) if slug in relevant), None)
    OUTCOMES[case["qid"]] = (
        len(found) / len(relevant),
        1 / (first + 1) if first is not None else 0,
    )
    assert found == relevant, f"{case['query']!r}: top {TOP} {top}, expected {relevant}"
    worst = max(ranked.index(slug) for slug in relevant)
    for slug in case.get("must_not_rank_above_relevant", []):
        if slug in ranked:
            assert ranked.index(slug) > worst, f"{case['query']!r}: {slug} outranks in {ranked}"


def test_report_metrics():
    """Print recall@5 and MRR over the cases run above (in this process)."""
    if not OUTCOMES:
        pytest.skip("no relevance case ran")
    recall = sum(r for r, _ in OUTCOMES.values()) / len(OUTCOMES)
    mrr = sum(m for _, m in OUTCOMES.values()) / len(OUTCOMES)
    print(
        f"\nsearch relevance on {connection.vendor}: {len(OUTCOMES)} queries, "
        f"recall@{TOP} {recall:.3f}, MRR {mrr:.3f}"
    )
    assert len(CASES) >= 60
