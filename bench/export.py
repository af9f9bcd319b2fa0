"""Benchmark the dataset downloads at archive scale against a plain dump.

    .venv/bin/python bench/export.py

Builds a scratch SQLite database with BENCH_RECORDS (10,000) published
records, inserted in bulk the way bench/search.py builds them (20% with an
English translation), then times, one after the other:

  * the baseline: ``json.dumps`` of the same records' rows from one
    ``.values()`` query (no access rule, no Dublin Core, no files),
  * the full export (``open_data.datasets.write_files``: the three files
    written in one pass, chunked reads, Dublin Core per record),
  * the CSV alone (``record_fields`` and ``csv_cell`` of every record).

Prints records/second of each and their ratios to the baseline.
"""

import csv
import importlib.util
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RECORDS = int(os.environ.get("BENCH_RECORDS", "10000"))

# bench/search.py's bulk builder, loaded under another name (``search`` is an app).
_spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
bench_search = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_search)


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main():
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_search.setup_database()
    from django.utils import timezone

    from heritage.curation import set_up_archive
    from heritage.models import EthnicGroup, Province, ProvinceIndexPage, RecordPage
    from open_data.datasets import COLUMNS, csv_cell, record_chunks, record_fields, write_files

    rng = random.Random(bench_search.SEED)
    set_up_archive(provinces=Province.objects.current().order_by("name_vi")[:8])
    sections = list(ProvinceIndexPage.objects.select_related("locale"))
    records = bench_search.RecordMaker(
        rng, bench_search.TextMaker(rng), sections, list(EthnicGroup.objects.all())
    )
    with tqdm(total=RECORDS, unit="record", file=sys.stderr, desc="build") as bar:
        bench_search.add_records(RECORDS, records, bar)
    count = RecordPage.objects.values("record_id").distinct().count()

    def baseline():
        rows = RecordPage.objects.live().values(
            *[c.name for c in COLUMNS if hasattr(RecordPage, c.name)]
        )
        return len(json.dumps(list(rows), ensure_ascii=False, default=str))

    def full_export():
        with (
            tempfile.TemporaryDirectory() as directory,
            tqdm(total=count, unit="record", file=sys.stderr, desc="export") as bar,
        ):
            return write_files(Path(directory), timezone.now(), bar.update)

    def csv_only():
        out = csv.writer(io.StringIO())
        with tqdm(total=count, unit="record", file=sys.stderr, desc="csv") as bar:
            for chunk in record_chunks():
                for versions, media in chunk:
                    fields = record_fields(versions, media)
                    out.writerow([csv_cell(c, fields[c.name]) for c in COLUMNS])
                bar.update(len(chunk))

    base_seconds, _size = timed(baseline)
    export_seconds, exported = timed(full_export)
    csv_seconds, _ = timed(csv_only)
    assert exported == count, (exported, count)
    for name, seconds in [("baseline json.dumps(.values())", base_seconds),
                          ("full export (csv+json+xml)", export_seconds),
                          ("csv only", csv_seconds)]:  # fmt: skip
        print(f"{name:>32}: {seconds:7.2f} s, {count / seconds:9.0f} records/s, "
              f"{seconds / base_seconds:6.1f}x the baseline")  # fmt: skip


if __name__ == "__main__":
    main()
