"""OAI-PMH 2.0 at /oai/, harvested the way aggregators harvest it: with real clients."""

import datetime

import pytest
from defusedxml.ElementTree import fromstring
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.access import Access
from heritage.demo import demo_record_id
from heritage.models import RecordPage
from open_data.dublin_core import DC
from open_data.oai import EDM, OAI, ORE, RDF, TOKEN_SALT
from open_data.records import public_records
from tests.open_data.harvesters import scythe, sickle

RESTRICTED_KEY = "cap-sac-bi-truyen"
NS = {"o": OAI, "dc": DC, "edm": EDM, "ore": ORE, "rdf": RDF}


@pytest.fixture
def small_pages(settings):
    settings.OAI_PAGE_SIZE = 4


def oai(client, method="get", **arguments):
    answer = getattr(client, method)("/oai/", arguments)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/xml")
    xml = fromstring(answer.content)
    assert xml.tag == f"{{{OAI}}}OAI-PMH"
    assert xml.find("o:responseDate", NS) is not None
    assert xml.find("o:request", NS).text == "http://testserver/oai/"
    return xml


def error_code(xml):
    error = xml.find("o:error", NS)
    return error.get("code") if error is not None else None


def public_ids():
    return set(public_records().values_list("record_id", flat=True))


def test_two_harvesters_take_every_public_record_once_across_pages(demo_archive, db, small_pages):
    expected = public_ids()
    assert len(expected) > 3 * 4  # several pages
    assert demo_record_id(RESTRICTED_KEY) not in expected

    with_scythe = [r.header.identifier for r in scythe().list_records(metadata_prefix="oai_dc")]
    with_sickle = [r.header.identifier for r in sickle().ListRecords(metadataPrefix="oai_dc")]
    with_post = [h.identifier for h in sickle("POST").ListIdentifiers(metadataPrefix="edm")]
    for harvested in (with_scythe, with_sickle, with_post):
        assert len(harvested) == len(set(harvested))
        assert {identifier.rsplit(":", 1)[1] for identifier in harvested} == expected

    record = next(iter(sickle().ListRecords(metadataPrefix="oai_dc")))
    assert record.metadata["title"] and record.metadata["rights"]
    assert (
        f"http://testserver/r/{record.header.identifier.rsplit(':', 1)[1]}/"
        in (record.metadata["identifier"])
    )


def test_a_record_restricted_mid_harvest_is_then_harvested_as_deleted(
    demo_archive, db, small_pages
):
    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    harvest = sickle().ListIdentifiers(metadataPrefix="oai_dc")
    first_page = [next(harvest) for _ in range(4)]
    taken = {header.identifier.rsplit(":", 1)[1] for header in first_page}
    victim = next(
        page
        for page in RecordPage.objects.filter(locale__language_code="vi", live=True)
        .exclude(record_id__in=taken)
        .filter(access=Access.PUBLIC)
        .specific()
    )
    victim.access = Access.RESTRICTED
    victim.save_revision().publish()

    rest = {header.identifier.rsplit(":", 1)[1]: header for header in harvest}  # unbroken
    assert not taken & set(rest)
    if victim.record_id in rest:  # restricted within the harvest's frozen second
        assert rest[victim.record_id].deleted

    later = oai(
        db_client(), verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": stamp(started)}
    )
    headers = {
        h.find("o:identifier", NS).text.rsplit(":", 1)[1]: h for h in later.iter(f"{{{OAI}}}header")
    }
    gone = headers[victim.record_id]
    assert gone.get("status") == "deleted"
    assert [child.tag.split("}")[1] for child in gone] == ["identifier", "datestamp"]
    answer = db_client().get(
        "/oai/",
        {"verb": "GetRecord", "metadataPrefix": "edm",
         "identifier": f"oai:testserver:{victim.record_id}"},
    )  # fmt: skip
    record = fromstring(answer.content).find("o:GetRecord/o:record", NS)
    assert record.find("o:header", NS).get("status") == "deleted"
    assert record.find("o:metadata", NS) is None
    assert victim.title.encode() not in answer.content  # nothing of it is told


def db_client():
    from django.test import Client

    return Client()


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_record_never_public_is_not_known(demo_archive, db, client):
    restricted = demo_record_id(RESTRICTED_KEY)
    xml = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert restricted.encode() not in b"".join(_texts(xml))
    xml = oai(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:testserver:{restricted}"
    )
    assert error_code(xml) == "idDoesNotExist"


def _texts(xml):
    return [(element.text or "").encode() for element in xml.iter()]


def test_identify_says_what_the_spec_requires(demo_archive, db, client):
    identify = oai(client, verb="Identify").find("o:Identify", NS)
    read = {child.tag.split("}")[1]: child.text for child in identify}
    assert read["protocolVersion"] == "2.0"
    assert read["baseURL"] == "http://testserver/oai/"
    assert read["deletedRecord"] == "persistent"
    assert read["granularity"] == "YYYY-MM-DDThh:mm:ssZ"
    datetime.datetime.strptime(read["earliestDatestamp"], "%Y-%m-%dT%H:%M:%SZ")
    assert read["repositoryName"] and "adminEmail" in read
    assert scythe().identify().protocolVersion == "2.0"


def test_formats_and_sets(demo_archive, db, client):
    formats = oai(client, verb="ListMetadataFormats").findall(".//o:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc", "edm"]
    specs = [s.text for s in oai(client, verb="ListSets").findall(".//o:setSpec", NS)]
    assert "kind:festival" in specs and "group:tay" in specs
    assert any(spec.startswith("province:") for spec in specs)

    in_set = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:festival")
    for header in in_set.iter(f"{{{OAI}}}header"):
        if header.get("status") != "deleted":
            assert "kind:festival" in [s.text for s in header.findall("o:setSpec", NS)]


def test_edm_describes_the_object_and_where_it_is_shown(demo_archive, db, client):
    record_id = sorted(public_ids())[0]
    xml = oai(
        client, verb="GetRecord", metadataPrefix="edm", identifier=f"oai:testserver:{record_id}"
    )
    rdf = xml.find(".//o:metadata/rdf:RDF", NS)
    cho = rdf.find("edm:ProvidedCHO", NS)
    assert cho.find("dc:title", NS).text
    assert cho.find("edm:type", NS).text in {"TEXT", "IMAGE", "VIDEO", "SOUND"}
    aggregation = rdf.find("ore:Aggregation", NS)
    shown_at = aggregation.find("edm:isShownAt", NS).get(f"{{{RDF}}}resource")
    assert shown_at == f"http://testserver/r/{record_id}/"
    assert aggregation.find("edm:rights", NS).get(f"{{{RDF}}}resource").startswith("http")
    assert aggregation.find("edm:dataProvider", NS).text


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
             "until": "2026-01-02T00:00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-01",
             "until": "2026-01-01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:testserver:x"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere:1"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
         "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "any"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
    ],
)  # fmt: skip
def test_every_error_code(demo_archive, db, client, arguments, code):
    xml = oai(client, **arguments)
    assert error_code(xml) == code
    assert xml.find("o:error", NS).text  # says what went wrong
    if code in ("badVerb", "badArgument"):
        assert xml.find("o:request", NS).attrib == {}


def test_repeated_argument_is_bad(demo_archive, db, client):
    answer = client.get("/oai/?verb=Identify&verb=Identify")
    assert error_code(fromstring(answer.content)) == "badArgument"


def first_token(client):
    xml = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = xml.find(".//o:resumptionToken", NS)
    assert token.get("expirationDate") and token.get("completeListSize") == str(len(public_ids()))
    assert token.get("cursor") == "0"
    return token.text


def test_tokens_expire_and_belong_to_their_verb(demo_archive, db, client, small_pages, settings):
    token = first_token(client)
    wrong_verb = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(wrong_verb) == "badResumptionToken"
    tampered = signing.dumps({"verb": "ListRecords"}, salt="other")
    assert error_code(oai(client, verb="ListRecords", resumptionToken=tampered)) == (
        "badResumptionToken"
    )
    settings.OAI_TOKEN_LIFETIME = -1
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )
    assert TOKEN_SALT


def test_records_published_during_a_harvest_wait_for_the_next_one(
    demo_archive, db, client, small_pages
):
    token = first_token(client)
    page = RecordPage.objects.filter(locale__language_code="vi", live=True).first().specific
    page.title += " (sửa)"
    page.save_revision().publish()  # now its datestamp is after the frozen until
    seen = []
    while token:
        xml = oai(client, verb="ListRecords", resumptionToken=token)
        seen += [h.text for h in xml.iter(f"{{{OAI}}}identifier")]
        token = xml.find(".//o:resumptionToken", NS).text
    assert len(seen) == len(set(seen))


def test_queries_per_page_do_not_grow_with_the_page_size(demo_archive, db, client, settings):
    counts = []
    for size in (3, 12):
        settings.OAI_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as queries:
            xml = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        assert len(xml.findall(".//o:record", NS)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("rate", "url"),
    [
        ("oai", "/oai/?verb=Identify"),
        ("iiif", "/iiif/no-such-record/manifest.json"),
        ("downloads", "/open-data/files/heritage-records.csv"),
    ],
)
def test_every_open_data_surface_is_rate_limited(demo_archive, db, client, settings, rate, url):
    from django.core.cache import cache

    settings.OPEN_DATA_RATES = {**settings.OPEN_DATA_RATES, rate: "1/m"}
    cache.clear()
    assert client.get(url).status_code != 429
    response = client.get(url)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    cache.clear()
