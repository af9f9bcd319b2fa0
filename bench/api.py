"""Benchmark the open-data interfaces at 10,000 records: an OAI-PMH harvest and more.

    .venv/bin/python bench/api.py                      # SQLite (a scratch file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/api.py

Builds a scratch database with bench/search.py's bulk loader (published
records written as rows: 5% restricted, 20% with an English translation),
then runs each of :data:`MEASUREMENTS` (full OAI-PMH harvests, the full
dataset export) over the whole archive and prints
records per second against a baseline measured in the same run: the same
records read with one plain ``.values()`` query and written as one minimal
Dublin Core element each (no access rule, no languages, no media). The
OAI-PMH harvest goes through the real view (Django's test client, following
resumption tokens as a harvester does). Queries per harvest page are counted
at two page sizes: they must not grow with the page. BENCH_SIZE changes the
number of records.
"""

import importlib.util
import os
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZE = int(os.environ.get("BENCH_SIZE", "10000"))


def _bench_module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def baseline():
    """Records/second of a plain read of the public rows into minimal DC elements."""
    from heritage.models import RecordPage

    started, count = time.perf_counter(), 0
    rows = RecordPage.objects.filter(live=True, access="public").values_list(
        "record_id", "title", "summary"
    )
    for record_id, title, summary in rows.iterator(chunk_size=2000):
        element = ElementTree.Element("dc")
        for tag, text in (("identifier", record_id), ("title", title), ("description", summary)):
            ElementTree.SubElement(element, tag).text = text
        ElementTree.tostring(element)
        count += 1
    return count, time.perf_counter() - started


def oai_harvest(prefix="oai_dc"):
    """A full ListRecords harvest through the view, following resumption tokens."""
    from defusedxml.ElementTree import fromstring
    from django.test import Client

    from open_data.oai import OAI

    client, count, started = Client(), 0, time.perf_counter()
    arguments = {"verb": "ListRecords", "metadataPrefix": prefix}
    with tqdm(unit="record", file=sys.stderr, desc=f"harvest {prefix}") as bar:
        while True:
            xml = fromstring(client.get("/oai/", arguments).content)
            page = len(xml.findall(f".//{{{OAI}}}record"))
            count += page
            bar.update(page)
            token = xml.find(f".//{{{OAI}}}resumptionToken")
            if token is None or not token.text:
                break
            arguments = {"verb": "ListRecords", "resumptionToken": token.text}
    return count, time.perf_counter() - started


def queries_per_page(size):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(OAI_PAGE_SIZE=size), CaptureQueriesContext(connection) as queries:
        Client().get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    return len(queries)


def dataset_export():
    """The open-data downloads (CSV, JSON, Dublin Core XML in one pass), as the task writes them."""
    import tempfile

    from django.utils import timezone

    from open_data.datasets import write_files

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as directory,
        tqdm(unit="record", file=sys.stderr, desc="export") as bar,
    ):
        count = write_files(Path(directory), timezone.now(), progress=bar.update)
    return count, time.perf_counter() - started


# (name, function returning (records, seconds)): what this benchmark measures.
MEASUREMENTS = [
    ("OAI-PMH harvest, oai_dc", lambda: oai_harvest("oai_dc")),
    ("OAI-PMH harvest, edm", lambda: oai_harvest("edm")),
    ("full export, CSV + JSON + DC XML", dataset_export),
]


def main():
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_search = _bench_module("search")
    bench_search.setup_database("api")
    import random

    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, "testserver", is allowed
    records = bench_search.record_maker(random.Random(bench_search.SEED))
    with tqdm(total=SIZE, unit="record", file=sys.stderr, desc="build") as bar:
        bench_search.add_records(SIZE, records, bar)
    print(f"database: {connection.vendor}; {SIZE} records")
    base_count, base_seconds = baseline()
    base_rate = base_count / base_seconds
    print(f"baseline (plain rows to minimal DC): {base_count} records, {base_rate:,.0f} records/s")
    for name, measure in MEASUREMENTS:
        count, seconds = measure()
        rate = count / seconds
        print(
            f"{name}: {count} records in {seconds:.1f} s, {rate:,.0f} records/s, "
            f"ratio to baseline {rate / base_rate:.3f}"
        )
    small, large = queries_per_page(50), queries_per_page(200)
    print(f"OAI-PMH queries per page: {small} at 50 records, {large} at 200 records")


if __name__ == "__main__":
    main()
