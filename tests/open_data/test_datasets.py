"""The dataset downloads: every public record once, field by field, in three formats."""

import csv
import io
import json
from io import StringIO

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCTERMS

from heritage.access import Access
from heritage.demo import demo_record_id
from heritage.importing.values import restore_formula
from heritage.models import RecordPage
from open_data.catalog import SHAPES
from open_data.datasets import COLUMNS, Column, csv_cell, generate_datasets, record_chunks
from open_data.dublin_core import DC, OAI_DC
from open_data.models import DatasetRun
from tests.factories import make_record

RESTRICTED_KEY = "cap-sac-bi-truyen"
CSV, JSON, XML = "heritage-records.csv", "heritage-records.json", "heritage-records-dc.xml"


def public_versions():
    """``{record_id: {language: page}}`` of the live public records, read plainly."""
    found = {}
    pages = RecordPage.objects.filter(live=True, access=Access.PUBLIC).select_related("locale")
    for page in pages:
        found.setdefault(page.record_id, {})[page.locale.language_code] = page
    return found


def download(client, name):
    response = client.get(f"/open-data/files/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content)


def csv_rows(client):
    content = download(client, CSV)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that lets Excel read UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def names(queryset, field):
    return sorted(queryset.values_list(field, flat=True))


def test_the_csv_holds_every_public_record_once_as_the_database_has_it(demo_archive, db, client):
    generate_datasets()
    rows = csv_rows(client)
    versions = public_versions()
    assert [row["record_id"] for row in rows] == sorted(versions)
    assert demo_record_id(RESTRICTED_KEY) not in {row["record_id"] for row in rows}
    drafts = RecordPage.objects.filter(live=False).values_list("record_id", flat=True)
    assert drafts and not set(drafts) & {row["record_id"] for row in rows}
    assert list(rows[0]) == [column.name for column in COLUMNS]
    for row in rows:
        row = {name: restore_formula(value) for name, value in row.items()}
        vi = versions[row["record_id"]]["vi"]
        en = versions[row["record_id"]].get("en")
        assert row["url"] == f"http://testserver/r/{vi.record_id}/"
        assert row["kind"] == vi.specific_class._meta.model_name.removesuffix("page")
        assert row["title_vi"] == vi.title
        assert row["title_en"] == (en.title if en else "")
        assert row["native_name"] == vi.native_name
        assert row["description_vi"] == " ".join(
            (vi.sensitivity_warning or vi.summary).split()
        ) or (row["description_vi"] == (vi.sensitivity_warning or vi.summary))
        assert row["ethnic_groups_vi"].split("; ") == [g.name_vi for g in vi.ethnic_groups.all()]
        assert row["province"] == vi.province.name_vi
        assert row["province_as_recorded"] == vi.province_as_recorded.name_vi
        assert row["locality"] == vi.locality
        assert row["recorded_by_vi"] == vi.recorded_by
        assert row["recorded_by_en"] == (en.recorded_by if en else "")
        assert row["recorded_on"] == (vi.recorded_on.isoformat() if vi.recorded_on else "")
        assert row["licence"] == vi.licence
        assert row["licence_name"] == vi.get_licence_display()
        assert row["rights_holder_vi"] == vi.rights_holder
        assert row["rights_holder_en"] == (en.rights_holder if en else "")
        keywords = row["keywords_vi"].split("; ") if row["keywords_vi"] else []
        assert sorted(keywords) == names(vi.keywords, "name")


def test_the_json_and_dublin_core_xml_describe_the_same_records(demo_archive, db, client):
    generate_datasets()
    versions = public_versions()
    data = json.loads(download(client, JSON))
    assert data["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [record["record_id"] for record in data["records"]] == sorted(versions)
    rows = {row["record_id"]: row for row in csv_rows(client)}
    for record in data["records"]:
        row = rows[record["record_id"]]
        assert record["title_vi"] == restore_formula(row["title_vi"])
        assert "; ".join(record["ethnic_groups_en"]) == row["ethnic_groups_en"]
        titles = {(t["value"], t.get("language")) for t in record["dublin_core"]["title"]}
        assert (record["title_vi"], "vi") in titles
        assert {"value": record["licence"]} in record["dublin_core"]["rights"]

    root = fromstring(download(client, XML))
    descriptions = root.findall(f"{{{OAI_DC}}}dc")
    assert len(descriptions) == len(versions)
    identifiers = set()
    for description in descriptions:
        for element in ("title", "identifier", "rights"):
            assert description.find(f"{{{DC}}}{element}") is not None, element
        identifiers |= {el.text for el in description.findall(f"{{{DC}}}identifier")}
    assert set(versions) <= identifiers
    assert demo_record_id(RESTRICTED_KEY) not in identifiers


def test_a_cell_a_spreadsheet_would_evaluate_is_neutralised():
    text = Column("title_vi", "text", "", "")
    assert csv_cell(text, '=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell(Column("keywords_vi", "list", "", ""), ["@a", "b"]) == "'@a; b"
    assert csv_cell(Column("latitude", "decimal", "", ""), None) == ""


def test_reading_costs_the_same_queries_per_chunk_however_large(demo_archive, db):
    def queries_per_chunk(size):
        chunks = record_chunks(size)
        with CaptureQueriesContext(connection) as queries:
            chunk = next(chunks)
        assert len(chunk) == size
        return len(queries)

    assert queries_per_chunk(2) == queries_per_chunk(8)


def test_publishing_a_record_regenerates_the_downloads(
    demo_archive, db, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record("Lễ hội mới công bố", groups=("Tày",))
    assert DatasetRun.objects.filter(state=DatasetRun.State.DONE).exists()
    rows = {row["record_id"]: row for row in csv_rows(client)}
    assert rows[record.record_id]["title_vi"] == "Lễ hội mới công bố"


def test_a_record_restricted_leaves_the_downloads(
    demo_archive, db, client, django_capture_on_commit_callbacks
):
    generate_datasets()
    record_id = sorted(public_versions())[0]
    assert record_id in {row["record_id"] for row in csv_rows(client)}
    page = RecordPage.objects.get(record_id=record_id, locale__language_code="vi").specific
    with django_capture_on_commit_callbacks(execute=True):
        page.access = Access.RESTRICTED
        page.save_revision().publish()
    assert record_id not in {row["record_id"] for row in csv_rows(client)}
    assert record_id not in {r["record_id"] for r in json.loads(download(client, JSON))["records"]}


def test_the_command_prints_the_files_and_shows_progress(demo_archive, db):
    out, err = StringIO(), StringIO()
    call_command("export_datasets", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == [CSV, JSON, XML]
    assert all("sha256:" in line and "bytes" in line for line in lines)
    assert "100%" in err.getvalue()


@pytest.mark.parametrize(
    ("prefix", "heading", "meaning"),
    [
        ("", "Dữ liệu mở", "Tiêu đề bằng tiếng Việt"),
        ("/en", "Open data", "Title in Vietnamese"),
    ],
)
def test_the_open_data_page_lists_downloads_and_the_dictionary(
    demo_archive, db, client, prefix, heading, meaning
):
    generate_datasets()
    response = client.get(f"{prefix}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    for name in (CSV, JSON, XML):
        assert f'href="{prefix}/open-data/files/{name}"' in html
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in html
    assert meaning in html
    assert 'href="/api/v1/docs"' in html and 'href="/oai/?verb=Identify"' in html
    # The footer links here from every page.
    assert f'href="{prefix}/open-data/"' in client.get(f"{prefix}/").content.decode()


def test_an_unknown_download_is_not_found(demo_archive, db, client):
    generate_datasets()
    assert client.get("/open-data/files/secret.csv").status_code == 404
    assert client.get("/open-data/catalog.exe").status_code == 404


def catalog(client, extension="ttl", rdf_format="turtle"):
    response = client.get(f"/open-data/catalog.{extension}")
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=rdf_format)


def shapes():
    return Graph().parse(SHAPES, format="turtle")


def test_the_dcat_ap_description_conforms_to_the_shapes(demo_archive, db, client):
    run = generate_datasets()
    graph = catalog(client)
    conforms, _graph, report = validate(graph, shacl_graph=shapes())
    assert conforms, report
    sizes = {
        int(size)
        for size in graph.objects(None, graph.namespace_manager.expand_curie("dcat:byteSize"))
    }
    assert sizes == {entry["size"] for entry in run.files}
    # The same description in RDF/XML and JSON-LD.
    assert len(catalog(client, "rdf", "xml")) == len(graph)
    assert len(catalog(client, "jsonld", "json-ld")) == len(graph)


def test_a_description_without_a_licence_fails_the_shapes(demo_archive, db, client):
    generate_datasets()
    graph = catalog(client)
    graph.remove((None, DCTERMS.license, None))
    conforms, _graph, report = validate(graph, shacl_graph=shapes())
    assert not conforms
    assert "license" in report
