"""Benchmark the officers' coverage report at 1,000 and 10,000 records.

    .venv/bin/python bench/reports.py                      # SQLite (a scratch file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/reports.py

Builds a scratch database with bench/search.py's bulk loader (published
festival pages written as rows, 20% with an English translation, one or two
ethnic groups each, across eight provinces) plus a media item with a
duration per ten records, then at each size counts the queries of the
national report and of one province's, and times them (median of
BENCH_REPEAT runs) against a baseline measured in the same run: one plain
``RecordPage.objects.count()``. The query count must not grow with the
archive; the time ratio says what the report costs beyond counting rows.
"""

import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = [1000, 10000]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def _bench_search():
    """bench/search.py as a module: its scratch database and bulk record loader."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_media(count, rng, collections):
    """``count`` transcoded or waiting videos and audio recordings with durations."""
    from media_pipeline.models import MediaAsset

    MediaAsset.objects.bulk_create(
        [
            MediaAsset(
                title=f"media {n}",
                media_type=rng.choice(["video", "audio"]),
                duration=rng.uniform(60, 3600),
                state=rng.choice(["ready", "ready", "ready", "processing"]),
                collection=rng.choice(collections),
                file=f"bench/{n}.mp4",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


def timed(function):
    """(median seconds, queries of one run) of ``function``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    runs = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), len(queries)


def main():
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_search = _bench_search()
    bench_search.setup_database("reports")
    from django.db import connection

    from heritage.coverage import coverage
    from heritage.models import RecordPage, Team

    rng = random.Random(bench_search.SEED)
    records = bench_search.record_maker(rng)
    teams = list(Team.objects.select_related("province", "collection"))
    province = teams[0].province
    print(f"database: {connection.vendor}; median of {REPEAT} runs")
    built = 0
    for size in SIZES:
        with tqdm(total=size - built, unit="record", file=sys.stderr, desc="build") as bar:
            bench_search.add_records(size - built, records, bar)
            add_media((size - built) // 10, rng, [team.collection for team in teams])
        built = size
        baseline, _ = timed(lambda: RecordPage.objects.count())
        national, national_queries = timed(lambda: coverage())
        local, local_queries = timed(lambda: coverage(province))
        print(
            f"{size:>6} records: baseline count {1000 * baseline:6.1f} ms | "
            f"national report {1000 * national:7.1f} ms, {national_queries} queries, "
            f"ratio {national / baseline:6.1f}x | {province.name_vi} {1000 * local:7.1f} ms, "
            f"{local_queries} queries, ratio {local / baseline:6.1f}x"
        )


if __name__ == "__main__":
    main()
