"""Benchmark record search at archive scale against the raw full-text index.

    .venv/bin/python bench/search.py                      # SQLite (a scratch file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/search.py

Builds a scratch database (SQLite file in /tmp, or a fresh PostgreSQL database
named heritage_bench_search on the server DATABASE_URL names), inserts 10,000
then 100,000 published records in bulk (pages and search documents written
directly, not through page saves; 5% restricted; common words most records
share, a long tail of rare ones) and, at each size, times a mixed query set:

  * the project's search (``search_records``: access rule, facets, collapse
    per record, page of hits with snippets) as an anonymous visitor,
  * the same words straight against the full-text index (FTS5 bm25 or
    ts_rank, ranked, limited to 20: no access rule, no facets),
  * a naive ``icontains`` filter on title and summary (with its count).

Prints p50/p95 per method, the index build time, and last:
``search p95 at 100000 records: <ms> ms, raw index <ms> ms, ratio <x>``.
"""

# SQL text here is built from constants and identifiers only; every visitor's value
# travels as a query parameter.
# ruff: noqa: S608

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
REPEAT = 3
SEED = 20250701


def setup_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS heritage_bench_search")
            conn.execute("CREATE DATABASE heritage_bench_search")
        os.environ["DATABASE_URL"] = f"{base}/heritage_bench_search"
    else:
        path = Path(tempfile.gettempdir()) / "heritage-bench-search.sqlite3"
        for suffix in ["", "-wal", "-shm"]:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings.test")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- realistic text ---------------------------------------------------------------
COMMON = (
    "lễ hội người của và có đồng bào làng buôn bản cúng thần mùa năm tháng "
    "cồng chiêng trâu lúa rượu cần nhà rông già làng nghi thức múa hát"
).split()
ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "p",
    "ph",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "oa", "ia", "ưa", "uô", "iê"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def make_vocabulary(rng, size=6000):
    import unicodedata

    words = set()
    while len(words) < size:
        nucleus = rng.choice(NUCLEI)
        tone = rng.choice(TONES)
        syllable = rng.choice(ONSETS) + nucleus[0] + tone + nucleus[1:] + rng.choice(CODAS)
        words.add(unicodedata.normalize("NFC", syllable))
    return sorted(words)


class TextMaker:
    """Documents drawn from common words plus a Zipf-like tail of rarer ones."""

    def __init__(self, rng):
        from search.text import exact, fold

        self.rng = rng
        self.words = COMMON + make_vocabulary(rng)
        self.exact = [exact(w) for w in self.words]
        self.folded = [fold(w) for w in self.words]
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.words))]
        self.cum = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)

    def sample(self, k):
        return self.rng.choices(range(len(self.words)), cum_weights=self.cum, k=k)

    def text(self, ids):
        return " ".join(self.words[i] for i in ids)

    def exact_text(self, ids):
        return " ".join(self.exact[i] for i in ids)

    def folded_text(self, ids):
        return " ".join(self.folded[i] for i in ids)


# --- bulk records -----------------------------------------------------------------
def insert_rows(cursor, connection, model, objects):
    fields = [f for f in model._meta.local_concrete_fields]
    if model._meta.db_table == "search_recordsearchdocument":
        fields = [f for f in fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects
    ]
    cursor.executemany(
        f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})", rows
    )


def add_records(count, maker, sections, groups, rng, progress):
    """Insert ``count`` published festival pages and their search documents; returns seconds
    spent writing search documents (the index build)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone
    from wagtail.models import Page

    from heritage.models import FestivalPage, RecordPage
    from search.models import RecordSearchDocument, SearchTerm

    content_type = ContentType.objects.get_for_model(FestivalPage)
    through = RecordPage.ethnic_groups.through
    next_id = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    now = timezone.now()
    index_seconds = 0.0
    batch = 2000
    vocabulary = {}
    for start in range(0, count, batch):
        pages, docs, links = [], [], []
        for _ in range(min(batch, count - start)):
            section = rng.choice(sections)
            section.numchild += 1
            title_ids = maker.sample(5)
            body_ids = maker.sample(rng.randint(40, 160))
            record_id = f"vh-b{next_id:08d}"
            title = maker.text(title_ids).capitalize()
            page = FestivalPage(
                id=next_id,
                page_ptr_id=next_id,
                recordpage_ptr_id=next_id,
                title=title,
                draft_title=title,
                slug=f"r-{next_id}",
                path=Page._get_path(section.path, section.depth + 1, section.numchild),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}r-{next_id}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                content_type=content_type,
                locale_id=section.locale_id,
                translation_key=uuid.uuid4(),
                record_id=record_id,
                record_key=f"{record_id}:{section.locale_id}",
                province_as_recorded_id=section.province_id,
                province_id=section.province_id,
                lunar_month=rng.randint(1, 12),
                summary=maker.text(body_ids[:30]),
                access="restricted" if rng.random() < 0.05 else "public",
            )
            pages.append(page)
            group_ids = rng.sample(groups, rng.choice([1, 1, 2]))
            links.extend(through(recordpage_id=next_id, ethnicgroup_id=g.pk) for g in group_ids)
            names = " ".join(g.name_vi + " " + " ".join(g.other_names) for g in group_ids)
            from search.text import exact, fold

            docs.append(
                RecordSearchDocument(
                    page_id=next_id,
                    record_id=record_id,
                    locale="vi",
                    kind="festival",
                    province_id=section.province_id,
                    lunar_month=page.lunar_month,
                    media_types=rng.choice([0, 0, 1, 4, 5, 2, 8]),
                    title=title,
                    sort_title=fold(title),
                    title_exact=maker.exact_text(title_ids),
                    title_folded=maker.folded_text(title_ids),
                    names_exact=exact(names),
                    names_folded=fold(names),
                    body_exact=maker.exact_text(body_ids),
                    body_folded=maker.folded_text(body_ids),
                    snippet_text=maker.text(body_ids),
                    updated_at=now,
                )
            )
            for i in set(title_ids + body_ids):
                vocabulary[maker.folded[i]] = vocabulary.get(maker.folded[i], 0) + 1
            next_id += 1
        with transaction.atomic(), connection.cursor() as cursor:
            insert_rows(cursor, connection, Page, pages)
            insert_rows(cursor, connection, RecordPage, pages)
            insert_rows(cursor, connection, FestivalPage, pages)
            through.objects.bulk_create(links)
            started = time.perf_counter()
            insert_rows(cursor, connection, RecordSearchDocument, docs)
            index_seconds += time.perf_counter() - started
        progress.update(len(pages))
    for section in sections:
        Page.objects.filter(pk=section.pk).update(numchild=section.numchild)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(term=w, first=w[0], length=len(w), frequency=n)
            for w, n in vocabulary.items()
            if 2 < len(w) <= 64
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return index_seconds


# --- the three ways to search -------------------------------------------------------
def query_set(maker, groups, provinces):
    """A mixed set: common and rare words, with and without diacritics, phrases, facets."""
    rare = [maker.words[i] for i in (800, 1500, 2600, 4000, 5500)]
    queries = [
        {"q": "lễ hội"},
        {"q": "le hoi"},
        {"q": "cồng chiêng"},
        {"q": "cong chieng", "province": [provinces[0]]},
        {"q": "trâu"},
        {"q": "người"},
        {"q": '"rượu cần"'},
        {"q": "nha rong gia lang"},
        {"q": "buffalo"},
        {"q": rare[0]},
        {"q": rare[1]},
        {"q": f"{rare[2]} lễ"},
        {"q": f"{rare[3]} {rare[4]}"},
        {"q": "lễ", "lunar_month": [3]},
        {"q": "cúng thần", "ethnic_group": [groups[0].pk]},
        {"q": "múa hát", "media_type": ["video"]},
    ]
    return queries


def raw_index_query(connection, query):
    """The same words straight on the full-text index: ranked, top 20, nothing else."""
    from search.database import _fts_phrase, tsquery_expressions
    from search.fts import FTS_TABLE

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            words = [_fts_phrase(c.folded) for c in query.clauses]
            match = "{title_folded names_folded body_folded} : (" + " AND ".join(words) + ")"
            cursor.execute(
                f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                "ORDER BY rank LIMIT 20",
                [match],
            )
        else:
            match, _exact, _phrase = tsquery_expressions(query)
            cursor.execute(
                "SELECT id, ts_rank(search_vector, to_tsquery('simple', %s)) AS r "
                "FROM search_recordsearchdocument "
                "WHERE search_vector @@ to_tsquery('simple', %s) ORDER BY r DESC LIMIT 20",
                [match, match],
            )
        return cursor.fetchall()


def naive_query(user, text):
    from django.db.models import Q

    from heritage.models import RecordPage

    records = RecordPage.objects.visible_to(user)
    for word in text.replace('"', " ").split():
        records = records.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return records.count(), list(records.order_by("title")[:20])


def measure(function, items):
    timings = []
    for _ in range(REPEAT):
        for item in items:
            started = time.perf_counter()
            function(item)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    setup_database()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from heritage.curation import set_up_archive
    from heritage.models import EthnicGroup, Province, ProvinceIndexPage
    from search.query import SearchParams, parse_query, search_records

    rng = random.Random(SEED)
    set_up_archive(provinces=Province.objects.current().order_by("name_vi")[:8])
    sections = list(ProvinceIndexPage.objects.filter(locale__language_code="vi"))
    groups = list(EthnicGroup.objects.all())
    maker = TextMaker(rng)
    anonymous = AnonymousUser()
    queries = query_set(maker, groups, [s.province_id for s in sections])
    print(f"database: {connection.vendor}; {len(queries)} queries x {REPEAT} runs per size")

    built, index_seconds, results = 0, 0.0, {}
    with tqdm(total=SIZES[-1], unit="record", file=sys.stderr, desc="records") as progress:
        for size in SIZES:
            index_seconds += add_records(size - built, maker, sections, groups, rng, progress)
            built = size

            def ours(params):
                return search_records(SearchParams(**params, page_size=20), anonymous)

            def raw(params):
                return raw_index_query(connection, parse_query(params["q"]))

            def naive(params):
                return naive_query(anonymous, params["q"])

            ours_p50, ours_p95 = measure(ours, queries)
            raw_p50, raw_p95 = measure(raw, queries)
            naive_p50, naive_p95 = measure(naive, queries)
            results[size] = (ours_p95, raw_p95)
            print(
                f"{size:>7} records: search p50 {ours_p50:7.1f} ms p95 {ours_p95:7.1f} ms | "
                f"raw index p50 {raw_p50:7.1f} ms p95 {raw_p95:7.1f} ms | "
                f"icontains p50 {naive_p50:7.1f} ms p95 {naive_p95:7.1f} ms | "
                f"ratio search/raw p95 {ours_p95 / raw_p95:4.2f}x, icontains/search p95 "
                f"{naive_p95 / ours_p95:4.2f}x | index build (cumulative) {index_seconds:6.1f} s"
            )
    ours_p95, raw_p95 = results[SIZES[-1]]
    print(
        f"search p95 at {SIZES[-1]} records: {ours_p95:.0f} ms, raw index {raw_p95:.0f} ms, "
        f"ratio {ours_p95 / raw_p95:.2f}"
    )


if __name__ == "__main__":
    main()
