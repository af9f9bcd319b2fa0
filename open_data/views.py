"""The open-data page, the download files and their DCAT-AP description."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from open_data.catalog import SERIALISATIONS, catalog_graph
from open_data.datasets import (
    COLUMNS,
    DATASET_LICENCE,
    FORMATS,
    latest_run,
    public_storage,
    running_run,
)
from open_data.http import open_data_endpoint


def data_dictionary():
    """Each column with its meaning in Vietnamese and in English."""
    rows = []
    for column in COLUMNS:
        meaning = {}
        for language in ("vi", "en"):
            with translation.override(language):
                meaning[language] = str(column.meaning)
        rows.append({"column": column, "meaning_vi": meaning["vi"], "meaning_en": meaning["en"]})
    return rows


def open_data_page(request):
    """What can be downloaded, how it is described, and where the other doors are."""
    run = latest_run()
    return render(
        request,
        "open_data/open_data.html",
        {
            "run": run,
            "files": run.files if run else [],
            "running": running_run(),
            "formats": FORMATS,
            "dictionary": data_dictionary(),
            "dataset_licence": DATASET_LICENCE,
        },
    )


@open_data_endpoint("downloads")
def download(request, name):
    """Stream one download as the last finished generation stored it."""
    run = latest_run()
    entry = run.file(name) if run else None
    if entry is None:
        raise Http404("No such download")
    storage = public_storage()
    try:
        file = storage.open(entry["stored_as"], "rb")
    except FileNotFoundError as exc:
        raise Http404("No such download") from exc
    response = FileResponse(
        file, as_attachment=True, filename=name, content_type=entry["media_type"]
    )
    response["ETag"] = f'"{entry["sha256"]}"'
    response["Last-Modified"] = run.finished_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


@open_data_endpoint("api")
def catalog(request, extension):
    """The DCAT-AP description as Turtle, RDF/XML or JSON-LD."""
    if extension not in SERIALISATIONS:
        raise Http404("No such serialisation")
    rdf_format, content_type = SERIALISATIONS[extension]
    text = catalog_graph(latest_run()).serialize(format=rdf_format)
    return HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
