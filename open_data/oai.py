"""OAI-PMH 2.0 at /oai/: the archive as harvesters (Europeana, national libraries) take it.

What a harvester sees is the public archive and the visibility log
(``heritage.models.VisibilityEvent``). A record is listed with its public
language versions in one description; its datestamp is the latest of its
publications and visibility changes. A record that was once public and no
longer is (restricted, unpublished, deleted) is ``deleted``: a bare header
with its identifier and the time it went, no title and no set, exactly as a
record removed for good, so nothing tells a harvester it still exists. A
record that was never public never appears.

Lists are ordered by (datestamp, record id). A resumption token is signed
and carries the request, the ``until`` frozen at the first page and the last
(datestamp, record id) given, so records published during a harvest never
shift its pages; they come in the next one.
"""

import datetime
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core import signing
from django.db.models import Max, Q
from django.utils import timezone

from heritage.models import VisibilityEvent
from open_data import dublin_core as dc
from open_data.records import absolute_url, described_records, permalink, public_records

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EDM = "http://www.europeana.eu/schemas/edm/"
ORE = "http://www.openarchives.org/ore/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCTERMS = "http://purl.org/dc/terms/"

FORMATS = {
    "oai_dc": (dc.OAI_DC, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    "edm": (EDM, "http://www.europeana.eu/schemas/edm/EDM.xsd"),
}
VERBS = {
    # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
SECONDS = "%Y-%m-%dT%H:%M:%SZ"
TOKEN_SALT = "open_data.oai.resumption"  # noqa: S105 - a signing salt, not a secret
EVER_PUBLIC = (VisibilityEvent.Kind.PUBLISHED, VisibilityEvent.Kind.UNRESTRICTED)
EDM_TYPES = {"video": "VIDEO", "audio": "SOUND", "image": "IMAGE"}

for prefix, uri in {"": OAI, "xsi": XSI, "oai_dc": dc.OAI_DC, "dc": dc.DC, "edm": EDM,
                    "ore": ORE, "rdf": RDF, "dcterms": DCTERMS}.items():  # fmt: skip
    if prefix:
        ElementTree.register_namespace(prefix, uri)


class OaiError(Exception):
    """An OAI-PMH error: ``code`` is one of the protocol's error codes."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, order=True)
class Item:
    datestamp: datetime.datetime  # to the second, UTC
    record_id: str
    deleted: bool = False


def page_size():
    return getattr(settings, "OAI_PAGE_SIZE", 100)


def token_lifetime():
    return datetime.timedelta(seconds=getattr(settings, "OAI_TOKEN_LIFETIME", 24 * 3600))


def repository_id():
    return (
        getattr(settings, "OAI_REPOSITORY_ID", "")
        or (settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/")[0].split(":")[0])
    )


def oai_identifier(record_id):
    return f"oai:{repository_id()}:{record_id}"


def record_id_of(identifier):
    prefix = f"oai:{repository_id()}:"
    return identifier[len(prefix) :] if identifier.startswith(prefix) else None


def to_second(moment):
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def stamp(moment):
    return to_second(moment).strftime(SECONDS)


def parse_stamp(value, *, end_of_day=False):
    """(datetime, granularity) of a from/until argument; day granularity or seconds."""
    try:
        if len(value) == 10:
            day = datetime.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=datetime.UTC)
            if end_of_day:
                day += datetime.timedelta(days=1, seconds=-1)
            return day, "day"
        return datetime.datetime.strptime(value, SECONDS).replace(tzinfo=datetime.UTC), "s"
    except ValueError:
        raise OaiError(
            "badArgument", f"'{value}' is not a date in the granularity {GRANULARITY}"
        ) from None


# --- What harvesters may see ----------------------------------------------------------


def set_members(set_spec):
    """Record ids of the public records in a set, or raise badArgument."""
    kind, _, value = set_spec.partition(":")
    records = public_records()
    if kind == "group":
        records = records.filter(ethnic_groups__slug=value)
    elif kind == "province":
        records = records.filter(province__slug=value)
    elif kind == "kind" and value in ("festival", "custom"):
        records = records.filter(content_type__model=f"{value}page")
    else:
        raise OaiError("badArgument", f"There is no set '{set_spec}'")
    return set(records.values_list("record_id", flat=True))


def harvest_items(set_spec=None):
    """Every record a harvester may know of, public or deleted, in harvest order.

    A deleted record is listed in every set: which sets it was in is not told.
    """
    events = {
        row["record_id"]: row
        for row in VisibilityEvent.objects.values("record_id").annotate(
            last=Max("at"), ever_public=Max("at", filter=Q(kind__in=EVER_PUBLIC))
        )
    }
    published = dict(
        public_records()
        .order_by()
        .values("record_id")
        .annotate(last=Max("last_published_at"))
        .values_list("record_id", "last")
    )
    members = set_members(set_spec) if set_spec else None
    items = []
    for record_id, moment in published.items():
        if members is not None and record_id not in members:
            continue
        last_event = events.get(record_id, {}).get("last")
        moments = [m for m in (moment, last_event) if m]
        items.append(Item(to_second(max(moments)) if moments else _epoch(), record_id))
    for record_id, row in events.items():
        if record_id not in published and row["ever_public"]:
            items.append(Item(to_second(row["last"]), record_id, deleted=True))
    return sorted(items)


def _epoch():
    return datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def earliest_datestamp():
    items = harvest_items()
    return items[0].datestamp if items else to_second(timezone.now())


def describe(items):
    """``{record_id: (versions, media, set specs)}`` for the public items, in constant queries."""
    described = {}
    for record_id, (versions, media) in described_records(
        [item.record_id for item in items if not item.deleted]
    ).items():
        first = versions[0]
        sets = [f"kind:{first.kind}"]
        sets += [f"group:{group.slug}" for group in first.ethnic_groups.all()]
        if first.province_id:
            sets.append(f"province:{first.province.slug}")
        described[record_id] = (versions, media, sets)
    return described


# --- Building the answer ---------------------------------------------------------------


def sub(parent, tag, text=None, **attributes):
    element = ElementTree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def header(parent, item, sets=()):
    element = sub(parent, f"{{{OAI}}}header", status="deleted" if item.deleted else None)
    sub(element, f"{{{OAI}}}identifier", oai_identifier(item.record_id))
    sub(element, f"{{{OAI}}}datestamp", stamp(item.datestamp))
    for spec in sets:
        sub(element, f"{{{OAI}}}setSpec", spec)
    return element


def record(parent, item, described, prefix):
    element = sub(parent, f"{{{OAI}}}record")
    if item.deleted:
        header(element, item)
        return
    versions, media, sets = described[item.record_id]
    header(element, item, sets)
    metadata = sub(element, f"{{{OAI}}}metadata")
    statements = dc.dublin_core(versions, media)
    if prefix == "oai_dc":
        metadata.append(dc.oai_dc_element(statements))
    else:
        metadata.append(edm_element(versions, media, statements))


def edm_element(versions, media, statements):
    """The record in the Europeana Data Model: the cultural object, its web resources and
    the aggregation that ties them to the archive."""
    first = versions[0]
    root = ElementTree.Element(
        f"{{{RDF}}}RDF", {f"{{{XSI}}}schemaLocation": f"{EDM} {FORMATS['edm'][1]}"}
    )
    cho_id = absolute_url(f"/r/{first.record_id}/#object")
    cho = sub(root, f"{{{EDM}}}ProvidedCHO", **{f"{{{RDF}}}about": cho_id})
    for statement in statements:
        if statement.element in ("identifier", "format", "rights", "publisher"):
            continue
        element = f"{{{DCTERMS}}}spatial" if statement.element == "coverage" else None
        element = element or f"{{{dc.DC}}}{statement.element}"
        attributes = {dc.XML_LANG: statement.language} if statement.language else {}
        sub(cho, element, statement.value, **attributes)
    sub(cho, f"{{{dc.DC}}}identifier", first.record_id)
    kinds = {asset.media_type for asset in media}
    edm_type = next((EDM_TYPES[k] for k in ("video", "audio", "image") if k in kinds), "TEXT")
    sub(cho, f"{{{EDM}}}type", edm_type)

    resources = []
    for asset in media:
        rendition = next(
            (r for r in asset.renditions.all() if r.kind in ("image", "mp4", "audio")), None
        )
        if rendition is None:
            continue
        url = absolute_url(rendition.url)
        resource = sub(root, f"{{{EDM}}}WebResource", **{f"{{{RDF}}}about": url})
        sub(resource, f"{{{dc.DC}}}format", rendition.mime_type)
        sub(resource, f"{{{EDM}}}rights", **{f"{{{RDF}}}resource": first.licence})
        resources.append((asset.media_type, url))

    aggregation = sub(
        root, f"{{{ORE}}}Aggregation", **{f"{{{RDF}}}about": f"{cho_id.split('#')[0]}#aggregation"}
    )
    sub(aggregation, f"{{{EDM}}}aggregatedCHO", **{f"{{{RDF}}}resource": cho_id})
    for language, name in dc.PUBLISHER.items():
        sub(aggregation, f"{{{EDM}}}dataProvider", name, **{dc.XML_LANG: language})
        sub(aggregation, f"{{{EDM}}}provider", name, **{dc.XML_LANG: language})
    sub(aggregation, f"{{{EDM}}}isShownAt", **{f"{{{RDF}}}resource": permalink(first.record_id)})
    shown_by = next((url for kind, url in resources if kind == "image"), None)
    shown_by = shown_by or next((url for _kind, url in resources), None)
    if shown_by:
        sub(aggregation, f"{{{EDM}}}isShownBy", **{f"{{{RDF}}}resource": shown_by})
        if shown_by == next((url for kind, url in resources if kind == "image"), None):
            sub(aggregation, f"{{{EDM}}}object", **{f"{{{RDF}}}resource": shown_by})
    sub(aggregation, f"{{{EDM}}}rights", **{f"{{{RDF}}}resource": first.licence})
    return root


# --- The verbs -------------------------------------------------------------------------


def identify(body):
    element = sub(body, f"{{{OAI}}}Identify")
    sub(element, f"{{{OAI}}}repositoryName", dc.PUBLISHER["vi"])
    sub(element, f"{{{OAI}}}baseURL", absolute_url("/oai/"))
    sub(element, f"{{{OAI}}}protocolVersion", "2.0")
    sub(element, f"{{{OAI}}}adminEmail", getattr(settings, "OAI_ADMIN_EMAIL", ""))
    sub(element, f"{{{OAI}}}earliestDatestamp", stamp(earliest_datestamp()))
    sub(element, f"{{{OAI}}}deletedRecord", "persistent")
    sub(element, f"{{{OAI}}}granularity", GRANULARITY)


def list_metadata_formats(body, identifier=None):
    if identifier is not None:
        find_item(identifier)
    element = sub(body, f"{{{OAI}}}ListMetadataFormats")
    for prefix, (namespace, schema) in FORMATS.items():
        entry = sub(element, f"{{{OAI}}}metadataFormat")
        sub(entry, f"{{{OAI}}}metadataPrefix", prefix)
        sub(entry, f"{{{OAI}}}schema", schema)
        sub(entry, f"{{{OAI}}}metadataNamespace", namespace)


def list_sets(body):
    from heritage.models import EthnicGroup, Province

    element = sub(body, f"{{{OAI}}}ListSets")

    def add(spec, name_vi, name_en):
        entry = sub(element, f"{{{OAI}}}set")
        sub(entry, f"{{{OAI}}}setSpec", spec)
        sub(entry, f"{{{OAI}}}setName", name_vi)
        if name_en:
            description = sub(sub(entry, f"{{{OAI}}}setDescription"), f"{{{dc.OAI_DC}}}dc")
            sub(description, f"{{{dc.DC}}}title", name_en, **{dc.XML_LANG: "en"})

    add("kind:festival", "Lễ hội", "Festivals")
    add("kind:custom", "Phong tục", "Customs")
    for group in EthnicGroup.objects.order_by("slug"):
        add(f"group:{group.slug}", f"Dân tộc {group.name_vi}", group.name_en)
    for province in Province.objects.filter(is_current=True).order_by("slug"):
        add(f"province:{province.slug}", province.name_vi, province.name_en)


def find_item(identifier):
    record_id = record_id_of(identifier)
    item = (
        next((i for i in harvest_items() if i.record_id == record_id), None) if record_id else None
    )
    if item is None:
        raise OaiError("idDoesNotExist", f"No record has the identifier '{identifier}'")
    return item


def get_record(body, identifier, prefix):
    check_prefix(prefix)
    item = find_item(identifier)
    record(sub(body, f"{{{OAI}}}GetRecord"), item, describe([item]), prefix)


def check_prefix(prefix):
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            f"The metadata format '{prefix}' is not offered; ask ListMetadataFormats",
        )


def list_items(body, verb, arguments):
    """ListIdentifiers and ListRecords, first page or resumed."""
    if "resumptionToken" in arguments:
        state = read_token(arguments["resumptionToken"], verb)
    else:
        check_prefix(arguments["metadataPrefix"])
        start, start_grain = parse_stamp(arguments["from"]) if "from" in arguments else (None, None)
        end, end_grain = (
            parse_stamp(arguments["until"], end_of_day=True)
            if "until" in arguments
            else (to_second(timezone.now()), None)
        )
        if start_grain and end_grain and start_grain != end_grain:
            raise OaiError("badArgument", "'from' and 'until' must have the same granularity")
        if start and start > end:
            raise OaiError("badArgument", "'from' is later than 'until'")
        state = {
            "verb": verb,
            "prefix": arguments["metadataPrefix"],
            "set": arguments.get("set"),
            "from": stamp(start) if start else None,
            "until": stamp(end),
            "after": None,
            "cursor": 0,
        }
    start = parse_stamp(state["from"])[0] if state["from"] else None
    end = parse_stamp(state["until"])[0]
    items = [
        item
        for item in harvest_items(state["set"])
        if (start is None or item.datestamp >= start) and item.datestamp <= end
    ]
    total = len(items)
    if state["after"]:
        after = (parse_stamp(state["after"][0])[0], state["after"][1])
        items = [item for item in items if (item.datestamp, item.record_id) > after]
    if not items and not state["after"]:
        raise OaiError("noRecordsMatch", "No record matches these arguments")
    page, rest = items[: page_size()], items[page_size() :]
    element = sub(body, f"{{{OAI}}}{verb}")
    if verb == "ListRecords":
        described = describe(page)
        for item in page:
            record(element, item, described, state["prefix"])
    else:
        described = describe([item for item in page if not item.deleted])
        for item in page:
            header(element, item, () if item.deleted else described[item.record_id][2])
    if state["after"] or rest:
        cursor = state["cursor"]
        token = sub(element, f"{{{OAI}}}resumptionToken", completeListSize=str(total),
                    cursor=str(cursor))  # fmt: skip
        if rest:
            last = page[-1]
            expires = timezone.now() + token_lifetime()
            token.text = signing.dumps(
                {**state, "after": [stamp(last.datestamp), last.record_id],
                 "cursor": cursor + len(page)},
                salt=TOKEN_SALT, compress=True,
            )  # fmt: skip
            token.set("expirationDate", stamp(expires))
        else:
            token.text = ""


def read_token(token, verb):
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=token_lifetime())
    except signing.SignatureExpired:
        raise OaiError("badResumptionToken", "This resumption token has expired") from None
    except signing.BadSignature:
        raise OaiError("badResumptionToken", "This resumption token is not valid") from None
    if state.get("verb") != verb:
        raise OaiError("badResumptionToken", f"This resumption token is not one of {verb}")
    return state


def check_arguments(verb, arguments):
    required, optional, exclusive = VERBS[verb]
    given = set(arguments)
    if exclusive and exclusive in given:
        if given != {exclusive}:
            raise OaiError("badArgument", f"'{exclusive}' is an exclusive argument")
        return
    unknown = given - required - optional
    if unknown:
        raise OaiError("badArgument", f"Illegal argument(s): {', '.join(sorted(unknown))}")
    missing = required - given
    if missing:
        raise OaiError("badArgument", f"Missing argument(s): {', '.join(sorted(missing))}")


def respond(query):
    """The OAI-PMH answer (XML bytes) to a request's arguments (a QueryDict)."""
    root = ElementTree.Element(
        f"{{{OAI}}}OAI-PMH",
        {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
    )
    sub(root, f"{{{OAI}}}responseDate", stamp(timezone.now()))
    request_element = sub(root, f"{{{OAI}}}request", absolute_url("/oai/"))
    verb = query.get("verb")
    arguments = {key: query.get(key) for key in query if key != "verb"}
    try:
        if any(len(values) > 1 for _key, values in query.lists()):
            raise OaiError("badArgument", "An argument is repeated")
        if verb not in VERBS:
            raise OaiError("badVerb", "Missing or illegal verb" if verb else "No verb given")
        check_arguments(verb, arguments)
        for key, value in {"verb": verb, **arguments}.items():
            request_element.set(key, value)
        body = ElementTree.Element("body")
        if verb == "Identify":
            identify(body)
        elif verb == "ListMetadataFormats":
            list_metadata_formats(body, arguments.get("identifier"))
        elif verb == "ListSets":
            if "resumptionToken" in arguments:
                raise OaiError("badResumptionToken", "ListSets is given in one answer")
            list_sets(body)
        elif verb == "GetRecord":
            get_record(body, arguments["identifier"], arguments["metadataPrefix"])
        else:
            list_items(body, verb, arguments)
        root.extend(list(body))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()  # the spec: no attributes on an illegal request
        sub(root, f"{{{OAI}}}error", error.message, code=error.code)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False
    )
