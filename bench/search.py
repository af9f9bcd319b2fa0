"""Benchmark record search at archive scale against the raw full-text index.

    .venv/bin/python bench/search.py                      # SQLite (a scratch file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/search.py

Builds a scratch database (SQLite file in /tmp, or a fresh PostgreSQL database
named heritage_bench_search on the server DATABASE_URL names), inserts 10,000
then 100,000 published records in bulk (pages and search documents written as
rows, not through page saves; 5% restricted; 20% with an English translation;
common words most records share, a long tail of rare ones) and, at each size,
times a mixed query set:

  * the project's search (``search_records``: access rule, facets, collapse
    per record, page of hits with snippets) as an anonymous visitor,
  * the same words straight against the full-text index (FTS5 bm25 or
    ts_rank, ranked, limited to 20: no access rule, no facets),
  * a naive ``icontains`` filter on title and summary (with its count).

The three take turns on each query, BENCH_REPEAT (5) times; each query's
median counts once in the p50/p95. The machine's load average is printed
first: other work on the machine moves the figures, less so their ratios.
Prints p50/p95 per method, the index build time (documents and their
full-text index, cumulative), and last:
``search p95 at 100000 records: <ms> ms, raw index <ms> ms, ratio <x>``.
BENCH_SIZES (default 10000,100000) changes the sizes.
"""

# SQL text here is built from constants and identifiers only; every visitor's value
# travels as a query parameter.
# ruff: noqa: S608

import itertools
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
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
SEED = 20250701


def setup_database(name="search"):
    """A scratch database of the benchmark ``name`` (a SQLite file in /tmp, or a fresh
    PostgreSQL database on the server DATABASE_URL names), migrated."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS heritage_bench_{name}")
            conn.execute(f"CREATE DATABASE heritage_bench_{name}")
        os.environ["DATABASE_URL"] = f"{base}/heritage_bench_{name}"
    else:
        path = Path(tempfile.gettempdir()) / f"heritage-bench-{name}.sqlite3"
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


class Vocabulary:
    """Words drawn with Zipf-like weights, with their exact and folded forms precomputed."""

    def __init__(self, rng, words):
        from search.text import exact, fold

        self.rng = rng
        self.words = words
        self.exact = [exact(w) for w in words]
        self.folded = [fold(w) for w in words]
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(words))))

    def sample(self, k):
        return self.rng.choices(range(len(self.words)), cum_weights=self.cum, k=k)

    def text(self, ids):
        return " ".join(self.words[i] for i in ids)

    def exact_text(self, ids):
        return " ".join(self.exact[i] for i in ids)

    def folded_text(self, ids):
        return " ".join(self.folded[i] for i in ids)


class TextMaker(Vocabulary):
    """Documents drawn from common words plus a Zipf-like tail of rarer ones."""

    def __init__(self, rng):
        super().__init__(rng, COMMON + make_vocabulary(rng))


ENGLISH_COMMON = (
    "festival people village buffalo gong gongs rice wine jar spirits spirit harvest new "
    "offering offerings dance dancing songs song elders elder communal house ritual rituals "
    "ceremony ceremonies ancestors sacrifice sacrificed prayer prayers drum drums water "
    "forest mountain season moon year thanks community shaman sticky rice cakes"
).split()


class EnglishTextMaker(Vocabulary):
    """English translations: common festival words, Vietnamese names kept as written."""

    def __init__(self, rng, maker):
        from search.documents import english_stems

        super().__init__(rng, ENGLISH_COMMON + maker.words[len(COMMON) : len(COMMON) + 3000])
        # Stem each word of the vocabulary once, not every occurrence.
        self.stems = english_stems(self.folded)

    def stem_text(self, ids):
        return " ".join(self.stems[i] for i in ids)


# --- bulk records -----------------------------------------------------------------
class RowTemplate:
    """The column values of one sample object, to copy with a few values changed.

    Building a Django model instance per row would take longer than the
    database takes to store it: rows start from the sample's prepared values.
    """

    def __init__(self, connection, model, sample, skip=()):
        fields = [f for f in model._meta.local_concrete_fields if f.attname not in skip]
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.position = {f.attname: n for n, f in enumerate(fields)}
        self.base = [f.get_db_prep_save(getattr(sample, f.attname), connection) for f in fields]

    def row(self, values):
        row = list(self.base)
        for name, value in values.items():
            row[self.position[name]] = value
        return row

    def insert(self, cursor, connection, rows):
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        placeholders = ", ".join(["%s"] * len(self.columns))
        cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})", rows)


class RecordMaker:
    """Published festival pages (20% with an English translation) and their documents."""

    def __init__(self, rng, maker, sections, groups):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from django.db.models import Max
        from django.utils import timezone
        from wagtail.models import Page

        from heritage.models import FestivalPage, RecordPage
        from search.models import RecordSearchDocument

        self.rng, self.maker, self.groups = rng, maker, groups
        self.english = EnglishTextMaker(rng, maker)
        self.sections = [s for s in sections if s.locale.language_code == "vi"]
        self.english_section = {
            s.province_id: s for s in sections if s.locale.language_code == "en"
        }
        self.next_id = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.vocabulary = {}
        self.uuid_field = Page._meta.get_field("translation_key")
        self.connection = connection
        now = timezone.now()
        sample = FestivalPage(
            id=0,
            title="x",
            slug="x",
            path="x",
            depth=3,
            url_path="x",
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            content_type=ContentType.objects.get_for_model(FestivalPage),
            locale_id=self.sections[0].locale_id,
            translation_key=uuid.uuid4(),
        )
        self.templates = [
            RowTemplate(connection, Page, sample),
            RowTemplate(connection, RecordPage, sample),
            RowTemplate(connection, FestivalPage, sample),
        ]
        self.document = RowTemplate(
            connection, RecordSearchDocument, RecordSearchDocument(updated_at=now), skip={"id"}
        )
        self.through = RecordPage.ethnic_groups.through
        # Group names, folded once per combination of groups.
        self.names = {}

    def group_names(self, groups):
        from search.text import exact, fold

        key = tuple(g.pk for g in groups)
        if key not in self.names:
            names = " ".join(g.name_vi + " " + " ".join(g.other_names) for g in groups)
            self.names[key] = (exact(names), fold(names))
        return self.names[key]

    def page(self, section, record_id, title, summary, lunar_month, access, translation_key):
        """Row values of the three page tables for one new page; returns (id, rows)."""
        from wagtail.models import Page

        page_id = self.next_id
        self.next_id += 1
        section.numchild += 1
        page_values = {
            "id": page_id,
            "title": title,
            "draft_title": title,
            "slug": f"r-{page_id}",
            "path": Page._get_path(section.path, section.depth + 1, section.numchild),
            "depth": section.depth + 1,
            "url_path": f"{section.url_path}r-{page_id}/",
            "locale_id": section.locale_id,
            "translation_key": translation_key,
        }
        record_values = {
            "page_ptr_id": page_id,
            "record_id": record_id,
            "record_key": f"{record_id}:{section.locale_id}",
            "province_as_recorded_id": section.province_id,
            "province_id": section.province_id,
            "lunar_month": lunar_month,
            "summary": summary,
            "access": access,
        }
        page, record, festival = self.templates
        return page_id, [
            page.row(page_values),
            record.row(record_values),
            festival.row({"recordpage_ptr_id": page_id}),
        ]

    def record(self):
        """(page rows per table, document rows, ethnic-group links) of one record."""
        from search.text import fold

        rng, maker = self.rng, self.maker
        section = rng.choice(self.sections)
        record_id = f"vh-b{self.next_id:08d}"
        record_number = self.next_id
        access = "restricted" if rng.random() < 0.05 else "public"
        lunar_month = rng.randint(1, 12)
        groups = rng.sample(self.groups, rng.choice([1, 1, 2]))
        names_exact, names_folded = self.group_names(groups)
        key = self.uuid_field.get_db_prep_save(uuid.uuid4(), self.connection)
        title_ids = maker.sample(5)
        body_ids = maker.sample(rng.randint(40, 160))
        title = maker.text(title_ids).capitalize()
        translated = rng.random() < 0.2
        common = {
            "record_id": record_id,
            "record_number": record_number,
            "translated": translated,
            "public": access == "public",
            "kind": "festival",
            "province_id": section.province_id,
            "lunar_month": lunar_month,
            "media_types": rng.choice([0, 0, 1, 4, 5, 2, 8]),
            "ethnic_group_ids": " ".join(sorted(str(g.pk) for g in groups)),
            "names_exact": names_exact,
            "names_folded": names_folded,
        }
        page_id, page_rows = self.page(
            section, record_id, title, maker.text(body_ids[:30]), lunar_month, access, key
        )
        pages = [page_rows]
        page_ids = [page_id]
        docs = [
            self.document.row(
                {
                    "page_id": page_id,
                    "locale": "vi",
                    "title": title,
                    "sort_title": fold(title),
                    "title_exact": maker.exact_text(title_ids),
                    "title_folded": maker.folded_text(title_ids),
                    "body_exact": maker.exact_text(body_ids),
                    "body_folded": maker.folded_text(body_ids),
                    "snippet_text": maker.text(body_ids),
                    **common,
                }
            )
        ]
        for i in set(title_ids + body_ids):
            self.vocabulary[maker.folded[i]] = self.vocabulary.get(maker.folded[i], 0) + 1
        if translated:
            en = self.english
            title_ids = en.sample(5)
            body_ids = en.sample(rng.randint(40, 160))
            title = en.text(title_ids).capitalize()
            page_id, page_rows = self.page(
                self.english_section[section.province_id],
                record_id,
                title,
                en.text(body_ids[:30]),
                lunar_month,
                access,
                key,
            )
            pages.append(page_rows)
            page_ids.append(page_id)
            docs.append(
                self.document.row(
                    {
                        "page_id": page_id,
                        "locale": "en",
                        "title": title,
                        "sort_title": title.lower(),
                        "title_exact": en.exact_text(title_ids),
                        "title_folded": en.folded_text(title_ids),
                        "body_exact": en.exact_text(body_ids),
                        "body_folded": en.folded_text(body_ids),
                        "title_english": en.stem_text(title_ids),
                        "body_english": en.stem_text(body_ids),
                        "snippet_text": en.text(body_ids),
                        **common,
                    }
                )
            )
        links = [(p, g.pk) for p in page_ids for g in groups]
        return pages, docs, links


def add_records(count, records, progress):
    """Insert ``count`` published records (pages, translations, search documents) in bulk;
    returns the seconds spent writing search documents and their full-text index."""
    from django.db import connection, transaction
    from wagtail.models import Page

    from search.models import SearchTerm

    through = records.through._meta.db_table
    index_seconds = 0.0
    batch = 5000
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bulk loader's cache (the default 2 MB makes every index insert
            # a read); queries run with the default again below.
            cursor.execute("PRAGMA cache_size = -262144")
    for start in range(0, count, batch):
        pages, docs, links = [[], [], []], [], []
        for _ in range(min(batch, count - start)):
            record_pages, record_docs, record_links = records.record()
            for rows in record_pages:
                for table, row in zip(pages, rows, strict=True):
                    table.append(row)
            docs.extend(record_docs)
            links.extend(record_links)
        with transaction.atomic(), connection.cursor() as cursor:
            for template, rows in zip(records.templates, pages, strict=True):
                template.insert(cursor, connection, rows)
            cursor.executemany(
                f"INSERT INTO {through} (recordpage_id, ethnicgroup_id) VALUES (%s, %s)", links
            )
            started = time.perf_counter()
            records.document.insert(cursor, connection, docs)
            index_seconds += time.perf_counter() - started
        progress.update(min(batch, count - start))
    for section in [*records.sections, *records.english_section.values()]:
        Page.objects.filter(pk=section.pk).update(numchild=section.numchild)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(term=w, first=w[0], length=len(w), frequency=n)
            for w, n in records.vocabulary.items()
            if 2 < len(w) <= 64
        ],
        batch_size=2000,
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            # What a maintenance job does after a bulk load: merge FTS5 segments
            # and refresh the planner statistics.
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA cache_size = -2000")
    index_seconds += time.perf_counter() - started
    return index_seconds


# --- the three ways to search -------------------------------------------------------
def query_set(maker, groups, provinces):
    """A mixed set: common and rare words, with and without diacritics, phrases, facets,
    English words (English translations), a second page and a sort by title."""
    rare = [maker.words[i] for i in (800, 1500, 2600, 4000, 5500)]
    return [
        {"q": "lễ hội"},
        {"q": "le hoi"},
        {"q": "cồng chiêng"},
        {"q": "cong chieng", "province": [provinces[0]]},
        {"q": "trâu"},
        {"q": "người"},
        {"q": '"rượu cần"'},
        {"q": "nha rong gia lang"},
        {"q": "buffalo", "lang": "en"},
        {"q": "gong festival", "lang": "en"},
        {"q": "rice wine", "language": ["en"]},
        {"q": rare[0]},
        {"q": rare[1]},
        {"q": f"{rare[2]} lễ"},
        {"q": f"{rare[3]} {rare[4]}"},
        {"q": "lễ", "lunar_month": [3]},
        {"q": "cúng thần", "ethnic_group": [groups[0].pk]},
        {"q": "múa hát", "media_type": ["video"]},
        {"q": "làng", "page": 2},
        {"q": "mùa lúa", "sort": "title"},
    ]


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


def percentile(values, fraction):
    """Linear-interpolated percentile of ``values`` (``fraction`` in 0..1)."""
    values = sorted(values)
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def measure(methods, items, progress):
    """Median milliseconds of each (method, item) over REPEAT runs.

    The methods take turns on each query, so load from other processes on the
    machine falls on all of them alike.
    """
    timings = {name: [[] for _ in items] for name in methods}
    for _ in range(REPEAT):
        for n, item in enumerate(items):
            for name, function in methods.items():
                started = time.perf_counter()
                function(item)
                timings[name][n].append((time.perf_counter() - started) * 1000)
            progress.update(1)
    return {name: [statistics.median(runs) for runs in rows] for name, rows in timings.items()}


def record_maker(rng):
    """Eight provinces' sections set up, and the maker of bulk records in them."""
    from heritage.curation import set_up_archive
    from heritage.models import EthnicGroup, Province, ProvinceIndexPage

    set_up_archive(provinces=Province.objects.current().order_by("name_vi")[:8])
    sections = list(ProvinceIndexPage.objects.select_related("locale"))
    return RecordMaker(rng, TextMaker(rng), sections, list(EthnicGroup.objects.all()))


def main():
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    setup_database()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from search.query import SearchParams, parse_query, search_records

    rng = random.Random(SEED)
    records = record_maker(rng)
    maker, groups = records.maker, records.groups
    anonymous = AnonymousUser()
    queries = query_set(maker, groups, [s.province_id for s in records.sections])
    print(
        f"database: {connection.vendor}; {len(queries)} queries, median of {REPEAT} runs "
        "each; p50/p95 over the queries"
    )

    def ours(params):
        return search_records(SearchParams(**params, page_size=20), anonymous)

    def raw(params):
        return raw_index_query(connection, parse_query(params["q"]))

    def naive(params):
        return naive_query(anonymous, params["q"])

    methods = {"search": ours, "raw index": raw, "icontains": naive}
    built, index_seconds, results = 0, 0.0, {}
    for size in SIZES:
        with tqdm(total=size - built, unit="record", file=sys.stderr, desc="build") as bar:
            index_seconds += add_records(size - built, records, bar)
        built = size
        with tqdm(total=REPEAT * len(queries), file=sys.stderr, desc="queries") as bar:
            medians = measure(methods, queries, bar)
        p = {name: (percentile(v, 0.5), percentile(v, 0.95)) for name, v in medians.items()}
        ours_p95, raw_p95 = p["search"][1], p["raw index"][1]
        results[size] = (ours_p95, raw_p95)
        print(
            f"{size:>7} records: "
            + " | ".join(
                f"{name} p50 {p50:7.1f} ms p95 {p95:7.1f} ms" for name, (p50, p95) in p.items()
            )
            + f" | ratio search/raw p95 {ours_p95 / raw_p95:4.2f}x"
            f" | index build (cumulative) {index_seconds:6.1f} s"
        )
        worst = sorted(
            range(len(queries)),
            key=lambda n: -medians["search"][n] / max(medians["raw index"][n], 0.01),
        )[:3]
        for n in worst:
            print(
                f"         slowest vs raw: {queries[n]} search {medians['search'][n]:.1f} ms, "
                f"raw {medians['raw index'][n]:.1f} ms"
            )
    ours_p95, raw_p95 = results[SIZES[-1]]
    print(
        f"search p95 at {SIZES[-1]} records: {ours_p95:.0f} ms, raw index {raw_p95:.0f} ms, "
        f"ratio {ours_p95 / raw_p95:.2f}"
    )


if __name__ == "__main__":
    main()
