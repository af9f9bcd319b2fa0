"""The archive's one Dublin Core mapping: the JSON API, OAI-PMH's ``oai_dc``
and the dataset downloads all describe a record with :func:`dublin_core`.

A record is described once, from all its public language versions: the
shared facts (people, place, date, licence) once, the words (title,
description, subjects) once per language, tagged with it. Coordinates
leave through ``heritage.geo.public_coordinates`` only.
"""

from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils import translation

from heritage.geo import public_coordinates
from heritage.models.records import IchDomain
from open_data.records import permalink

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The fifteen elements, in the order every output lists them.
ELEMENTS = (
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
)  # fmt: skip

# DCMI Type Vocabulary: a festival is an event; a custom is described in words and media.
DCMI_TYPES = {"festival": "Event", "custom": "Text"}
PUBLISHER = {
    "vi": "Kho lưu trữ số lễ hội và phong tục các dân tộc thiểu số Việt Nam",
    "en": "Digital archive of the festivals and customs of Vietnam's ethnic minorities",
}


@dataclass(frozen=True)
class Statement:
    element: str  # one of ELEMENTS
    value: str
    language: str = ""  # "vi", "en", or "" for a fact that reads the same in both


def dublin_core(versions, media=()):
    """The statements describing one record, from its language versions (Vietnamese first).

    ``media`` are the record's public media items (``open_data.records.public_media``).
    """
    first = versions[0]
    statements = []

    def say(element, value, language=""):
        value = " ".join(str(value or "").split())
        if value and Statement(element, value, language) not in statements:
            statements.append(Statement(element, value, language))

    def say_per_language(element, field):
        # Written by each version's own hand (heritage.importing.values.LANGUAGE_FIELDS):
        # one untagged value while the languages agree, else each tagged with its own.
        values = {page.locale.language_code: getattr(page, field) for page in versions}
        if len(set(values.values())) == 1:
            say(element, getattr(first, field))
        else:
            for language, value in values.items():
                say(element, value, language)

    for page in versions:
        language = page.locale.language_code
        with translation.override(language):
            say("title", page.title, language)
            say("description", page.sensitivity_warning or page.summary, language)
            for group in page.ethnic_groups.all():
                say("subject", group.display_name, language)
            for tag in page.keywords.all():
                say("subject", tag.name, language)
            if page.ich_domain:
                say("subject", IchDomain(page.ich_domain).label, language)
            say("type", page.kind_label, language)
            say("coverage", page.place_label, language)
            say("publisher", PUBLISHER[language], language)
            say("language", language)
    say("title", first.native_name)
    say_per_language("creator", "recorded_by")
    say("date", first.recorded_on.isoformat() if first.recorded_on else "")
    say("type", DCMI_TYPES[first.kind])
    for asset in media:
        for rendition in asset.renditions.all():
            if rendition.kind in ("mp4", "image", "audio"):
                say("format", rendition.mime_type)
    say("identifier", permalink(first.record_id))
    say("identifier", first.record_id)
    say("source", first.survey_reference)
    if first.locality:
        say("coverage", first.locality)
    coordinates = public_coordinates(first)
    if coordinates:
        say("coverage", f"{coordinates.latitude}, {coordinates.longitude}")
    say("rights", first.licence)
    say_per_language("rights", "rights_holder")
    return sorted(statements, key=lambda s: ELEMENTS.index(s.element))


def as_json(statements):
    """``{element: [{"value": ..., "language": ...}]}``, as the API and the JSON export give it."""
    described = {}
    for statement in statements:
        item = {"value": statement.value}
        if statement.language:
            item["language"] = statement.language
        described.setdefault(statement.element, []).append(item)
    return described


def oai_dc_element(statements):
    """The ``<oai_dc:dc>`` element (OAI-PMH's required format, and the DC XML download)."""
    ElementTree.register_namespace("oai_dc", OAI_DC)
    ElementTree.register_namespace("dc", DC)
    root = ElementTree.Element(
        f"{{{OAI_DC}}}dc",
        {
            "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": (
                f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
            )
        },
    )
    for statement in statements:
        element = ElementTree.SubElement(root, f"{{{DC}}}{statement.element}")
        element.text = statement.value
        if statement.language:
            element.set(XML_LANG, statement.language)
    return root
