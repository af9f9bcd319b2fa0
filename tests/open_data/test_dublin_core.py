"""One Dublin Core description per record, from both its languages."""

from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring

from heritage.demo import demo_record_id
from open_data.dublin_core import DC, OAI_DC, XML_LANG, as_json, dublin_core, oai_dc_element
from open_data.records import public_media, public_records, versions_of

RESTRICTED_KEY = "cap-sac-bi-truyen"


def test_a_record_is_described_once_in_both_languages(demo_archive, db):
    record_id = public_records().filter(locale__language_code="en").first().record_id
    versions = versions_of(record_id)
    assert [v.locale.language_code for v in versions] == ["vi", "en"]
    described = as_json(dublin_core(versions, public_media(versions[0])))

    titles = {item.get("language"): item["value"] for item in described["title"]}
    assert titles["vi"] == versions[0].title and titles["en"] == versions[1].title
    assert {"value": f"http://testserver/r/{record_id}/"} in described["identifier"]
    assert {"value": versions[0].licence} in described["rights"]
    # Who recorded it, in each language's own words.
    creators = {item.get("language"): item["value"] for item in described["creator"]}
    assert creators == {"vi": versions[0].recorded_by, "en": versions[1].recorded_by}
    assert creators["en"] != creators["vi"]
    assert {item["value"] for item in described["language"]} == {"vi", "en"}
    # Group names in each language, each once.
    subjects = [(item["value"], item.get("language")) for item in described["subject"]]
    assert len(subjects) == len(set(subjects))
    for group in versions[0].ethnic_groups.all():
        assert (group.name_vi, "vi") in subjects


def test_a_restricted_record_has_no_public_version(demo_archive, db):
    assert versions_of(demo_record_id(RESTRICTED_KEY)) == []


def test_oai_dc_holds_every_statement_with_its_language(demo_archive, db):
    versions = versions_of(public_records().first().record_id)
    statements = dublin_core(versions)
    xml = fromstring(ElementTree.tostring(oai_dc_element(statements)))
    assert xml.tag == f"{{{OAI_DC}}}dc"
    read = [(el.tag.removeprefix(f"{{{DC}}}"), el.text, el.get(XML_LANG, "")) for el in xml]
    assert read == [(s.element, s.value, s.language) for s in statements]
