"""Benchmark import_records against a plain Wagtail create-save-revision-publish loop.

    .venv/bin/python bench/import.py [--rows 10000] [--baseline-rows 500] [--only sqlite]

For SQLite (a scratch file) and PostgreSQL (a scratch database on
127.0.0.1:5432, created and dropped here) it generates a sheet of
realistic Vietnamese records with English translations, ~20 groups and
many provinces, then measures in one process on one database:
  * baseline: for each row ``parent.add_child(instance=page)``,
    ``page.save_revision().publish()``, then ``copy_for_translation`` for
    English (saved and published the same way);
  * the importer with --publish (batched, deferred indexing) and then the
    one bulk re-index task it enqueues, run inline;
  * a re-import of the same sheet (every row unchanged).
Ratios are records per second against the baseline. Progress goes to
stderr, the table to stdout.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROVINCE_NAMES = [
    "Tuyên Quang",
    "Hà Giang",
    "Lào Cai",
    "Yên Bái",
    "Đồng Nai",
    "Bình Phước",
    "Đắk Lắk",
    "Gia Lai",
    "Kon Tum",
    "Lạng Sơn",
    "Cao Bằng",
    "Thái Nguyên",
    "Bắc Kạn",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Lâm Đồng",
    "Đắk Nông",
    "An Giang",
    "Sóc Trăng",
]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def child(args):
    """Run the measurements against DATABASE_URL (already set); print one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from tqdm import tqdm
    from wagtail.models import Locale

    from heritage.curation import set_up_archive
    from heritage.importing import RecordImporter, read_sheet
    from heritage.importing.fastpath import deferred_indexing, reindex_objects
    from heritage.importing.parse import Lookups, RowParser
    from heritage.models import Province, RecordTag
    from tests.heritage.importgen import make_rows, write_csv

    err = sys.stderr
    call_command("migrate", verbosity=0)
    current = {Province.objects.resolve(name)[1] for name in PROVINCE_NAMES}
    set_up_archive(provinces=sorted(current, key=lambda p: p.name_vi))

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    sheet = write_csv(work / "survey.csv", make_rows(args.rows, PROVINCE_NAMES, seed=7))
    base_rows = make_rows(args.baseline_rows, PROVINCE_NAMES, seed=8)
    for row in base_rows:
        row["record_id"] = row["record_id"].replace("vh-test", "vh-base")
    base_sheet = write_csv(work / "baseline.csv", base_rows)

    # Baseline: the plain Wagtail loop on the same parsed values.
    en = Locale.objects.get(language_code="en")
    parser = RowParser(Lookups())
    parsed_rows = [parser.parse(n, row)[0] for n, row in read_sheet(base_sheet)]
    start = time.perf_counter()
    for parsed in tqdm(parsed_rows, desc="baseline", file=err):
        with transaction.atomic():
            page = parsed.model(
                title=parsed.texts["vi"]["title"],
                record_id=parsed.record_id,
                summary=parsed.texts["vi"]["summary"],
                body=parsed.texts["vi"]["body"],
                recorded_by=parsed.texts["vi"]["recorded_by"],
                rights_holder=parsed.texts["vi"]["rights_holder"],
                province_as_recorded=parsed.province_as_recorded,
                **parsed.shared,
            )
            page.ethnic_groups.set(parsed.groups)
            for keyword in parsed.texts["vi"]["keywords"]:
                page.tagged_items.add(RecordTag(tag=_tag(keyword)))
            parent = parsed.sections["vi"]
            parent.add_child(instance=page)
            page.save_revision().publish()
            translation = page.copy_for_translation(en)
            translation.title = parsed.texts["en"]["title"]
            translation.summary = parsed.texts["en"]["summary"]
            translation.body = parsed.texts["en"]["body"]
            translation.save_revision().publish()
    baseline_seconds = time.perf_counter() - start

    rows = read_sheet(sheet)
    with tqdm(total=len(rows), desc="import", file=err) as bar:
        start = time.perf_counter()
        result = RecordImporter(publish=True, progress=bar.update).run(rows)
        import_seconds = time.perf_counter() - start
    assert result.counts["created"] == len(rows), result.counts
    # The deferred index work, as the one enqueued task would do it.
    with deferred_indexing() as _unused:
        pass
    from heritage.models import RecordPage

    payload = {}
    for page in RecordPage.objects.filter(record_id__startswith="vh-test").specific():
        payload.setdefault(page._meta.label_lower, []).append(page.pk)
    start = time.perf_counter()
    reindex_objects(payload)
    index_seconds = time.perf_counter() - start

    with tqdm(total=len(rows), desc="re-import", file=err) as bar:
        start = time.perf_counter()
        again = RecordImporter(publish=True, progress=bar.update).run(rows)
        reimport_seconds = time.perf_counter() - start
    assert again.counts["unchanged"] == len(rows), again.counts
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": len(rows),
                "baseline_rows": len(parsed_rows),
                "baseline_rate": len(parsed_rows) / baseline_seconds,
                "import_rate": len(rows) / import_seconds,
                "import_index_rate": len(rows) / (import_seconds + index_seconds),
                "reimport_rate": len(rows) / reimport_seconds,
            }
        )
    )


_TAGS = {}


def _tag(name):
    from taggit.models import Tag

    if name not in _TAGS:
        _TAGS[name] = Tag.objects.get_or_create(name=name)[0]
    return _TAGS[name]


def run_child(database_url, args):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-import-media-"),
    }
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--rows",
        str(args.rows),
        "--baseline-rows",
        str(args.baseline_rows),
    ]
    out = subprocess.run(
        cmd, env=env, check=True, stdout=subprocess.PIPE, text=True, timeout=6 * 3600
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def psql(sql):
    subprocess.run(["psql", PG_SERVER + "/postgres", "-q", "-c", sql], check=True, timeout=120)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=500)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-import-db-") as folder:
            results.append(run_child(f"sqlite:///{folder}/bench.sqlite3", args))
    if args.only in (None, "postgres"):
        name = f"bench_import_{os.getpid()}"
        psql(f"CREATE DATABASE {name}")
        try:
            results.append(run_child(f"{PG_SERVER}/{name}", args))
        finally:
            psql(f"DROP DATABASE IF EXISTS {name}")
    print(
        f"{'database':<11}{'rows':>7}{'baseline rec/s':>16}{'import rec/s':>14}{'ratio':>7}"
        f"{'+index rec/s':>14}{'ratio':>7}{'re-import rec/s':>17}{'ratio':>7}"
    )
    for r in results:
        base = r["baseline_rate"]
        print(
            f"{r['vendor']:<11}{r['rows']:>7}{base:>16.1f}{r['import_rate']:>14.1f}"
            f"{r['import_rate'] / base:>6.1f}x{r['import_index_rate']:>14.1f}"
            f"{r['import_index_rate'] / base:>6.1f}x{r['reimport_rate']:>17.1f}"
            f"{r['reimport_rate'] / base:>6.1f}x"
        )
    print(
        "(a record = a Vietnamese page and its English translation, both published; "
        "target: import >= 3x baseline)"
    )


if __name__ == "__main__":
    main()
