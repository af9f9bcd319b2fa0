"""Real OAI-PMH harvesters from PyPI, talking to the archive in this process.

Each harvester's HTTP transport hands its requests to Django's test client in
the test's own thread, so the harvesters read the test's (uncommitted) data
on SQLite and PostgreSQL alike; a live server thread would not see it on
PostgreSQL. Everything above the transport is the harvester's own code.
"""

from urllib.parse import urlsplit

import httpx2
import requests
from django.test import Client
from oaipmh_scythe import Scythe
from requests.structures import CaseInsensitiveDict
from sickle import Sickle

ENDPOINT = "http://testserver/oai/"


def answer(method, url, body, content_type):
    url = urlsplit(url)
    if method == "POST":
        return Client().post(url.path, data=body, content_type=content_type)
    return Client().get(f"{url.path}?{url.query}")


class DjangoTransport(httpx2.BaseTransport):
    """An httpx transport that hands each request to Django's test client."""

    def handle_request(self, request):
        body = request.read()
        given = answer(request.method, str(request.url), body, request.headers.get("Content-Type"))
        return httpx2.Response(
            given.status_code, headers=dict(given.headers), content=given.content
        )


def scythe():
    harvester = Scythe(ENDPOINT)
    # Scythe makes its httpx client lazily; handing it one first is the only way
    # to choose the transport (its http_config has none).
    harvester._client = httpx2.Client(transport=DjangoTransport())
    return harvester


class DjangoAdapter(requests.adapters.BaseAdapter):
    """A requests transport that hands each request to Django's test client."""

    def send(self, request, **kwargs):
        given = answer(
            request.method, request.url, request.body, request.headers.get("Content-Type")
        )
        response = requests.Response()
        response.status_code = given.status_code
        response._content = given.content
        response.headers = CaseInsensitiveDict(given.headers)
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self):
        pass


class InProcessSickle(Sickle):
    def __init__(self, *args, **kwargs):
        super().__init__(ENDPOINT, *args, **kwargs)
        self.session = requests.Session()
        self.session.mount("http://testserver/", DjangoAdapter())

    def _request(self, kwargs):
        if self.http_method == "GET":
            return self.session.get(self.endpoint, params=kwargs)
        return self.session.post(self.endpoint, data=kwargs)


def sickle(method="GET"):
    return InProcessSickle(method)
