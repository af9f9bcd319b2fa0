"""The downloads described in DCAT-AP (a ``dcat:Catalog`` of one ``dcat:Dataset``), with rdflib.

Checked against ``open_data/shapes/dcat-ap.ttl``, the SHACL shapes of
DCAT-AP's mandatory classes and properties, by the tests.
"""

from pathlib import Path

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from open_data.datasets import DATASET_LICENCE, FORMATS, TITLE
from open_data.dublin_core import PUBLISHER
from open_data.records import absolute_url

SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap.ttl"
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
FILE_TYPES = {"csv": "CSV", "json": "JSON", "xml": "XML"}
DESCRIPTION = {
    "vi": (
        "Siêu dữ liệu của mọi hồ sơ công khai trong kho lưu trữ: tên, mô tả, dân tộc, "
        "địa điểm, thời gian, giấy phép và chủ sở hữu quyền, bằng tiếng Việt và tiếng Anh."
    ),
    "en": (
        "The metadata of every public record in the archive: names, descriptions, ethnic "
        "groups, places, dates, licence and rights holder, in Vietnamese and English."
    ),
}
KEYWORDS = {
    "vi": ["lễ hội", "phong tục", "dân tộc thiểu số", "di sản văn hoá phi vật thể"],
    "en": ["festivals", "customs", "ethnic minorities", "intangible cultural heritage"],
}


def catalog_graph(run):
    """The DCAT-AP description of the downloads ``run`` wrote (None: not generated yet)."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("spdx", SPDX)
    home = URIRef(absolute_url("/"))
    page = absolute_url(reverse("open_data"))
    catalog = URIRef(absolute_url(reverse("open_data_catalog", args=["ttl"])))
    dataset = URIRef(page + "#records")
    publisher = URIRef(absolute_url("/#publisher"))
    licence = URIRef(DATASET_LICENCE.value)

    graph.add((publisher, RDF.type, FOAF.Agent))
    for language, name in PUBLISHER.items():
        graph.add((publisher, FOAF.name, Literal(name, lang=language)))
    graph.add((publisher, FOAF.homepage, home))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, FOAF.homepage, home))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + "VIE")))
    graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + "ENG")))
    for language in ("vi", "en"):
        graph.add((catalog, DCTERMS.title, Literal(PUBLISHER[language], lang=language)))
        graph.add((catalog, DCTERMS.description, Literal(DESCRIPTION[language], lang=language)))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, DCTERMS.rights, licence))
    graph.add((dataset, DCAT.landingPage, URIRef(page)))
    graph.add((dataset, DCTERMS.spatial, EU_COUNTRY.VNM))
    for language in ("vi", "en"):
        graph.add((dataset, DCTERMS.title, Literal(TITLE[language], lang=language)))
        graph.add((dataset, DCTERMS.description, Literal(DESCRIPTION[language], lang=language)))
        for keyword in KEYWORDS[language]:
            graph.add((dataset, DCAT.keyword, Literal(keyword, lang=language)))
    if run is None:
        return graph
    graph.add((dataset, DCTERMS.issued, Literal(run.started_at, datatype=XSD.dateTime)))
    graph.add((dataset, DCTERMS.modified, Literal(run.finished_at, datatype=XSD.dateTime)))
    by_key = {fmt.key: fmt for fmt in FORMATS}
    for entry in run.files:
        fmt = by_key[entry["format"]]
        download = URIRef(absolute_url(reverse("open_data_file", args=[entry["name"]])))
        distribution = URIRef(f"{page}#{entry['format']}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(fmt.label)))
        graph.add((distribution, DCAT.accessURL, URIRef(page)))
        graph.add((distribution, DCAT.downloadURL, download))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        graph.add((distribution, DCTERMS.format, EU_FILE_TYPE[FILE_TYPES[fmt.key]]))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((distribution, DCTERMS.rights, licence))
        graph.add((distribution, DCTERMS.modified, Literal(run.finished_at, datatype=XSD.dateTime)))
        graph.add(
            (distribution, DCAT.byteSize, Literal(entry["size"], datatype=XSD.nonNegativeInteger))
        )
        checksum = BNode()
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
    return graph


# How each address serialises the graph, and what it answers as.
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}
