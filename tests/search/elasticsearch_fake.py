"""A tiny HTTP server that answers like Elasticsearch 8 and records every request.

The real ``elasticsearch`` client talks to it over HTTP, so the tests see the
exact index settings, mappings, documents and queries the backend sends,
without mocking any of the backend's own methods. It keeps just enough state
(indices and aliases) for the alias-swap sequence to play out as on a server.
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Request:
    method: str
    path: str
    query: dict
    body: object  # parsed JSON, a list for NDJSON (bulk), or None

    @property
    def line(self):
        return f"{self.method} {self.path}"


def empty_search_response(hits=(), total=None, aggregations=None):
    """A ``_search`` answer with these hits (dicts with ``_id``) and aggregations."""
    hits = [{"_index": "fake", "_score": 1.0, **hit} for hit in hits]
    return {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": 1.0 if hits else None,
            "hits": hits,
        },
        "aggregations": aggregations or {},
    }


class FakeElasticsearch:
    def __init__(self):
        self.requests = []
        self.indices = {}  # name -> settings body
        self.aliases = {}  # alias -> set of index names
        self.search_response = empty_search_response()
        self.fail_status = None  # answer every request with this HTTP status
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def clear(self):
        self.requests.clear()

    def requests_to(self, name):
        """Requests whose path mentions ``name`` (an index or alias name)."""
        return [r for r in self.requests if name in r.path or name in json.dumps(r.body)]

    # --- routing ---------------------------------------------------------------

    def handle(self, method, path, query, body):
        if self.fail_status:
            return self.fail_status, {"error": {"type": "fake_failure"}, "status": self.fail_status}
        parts = [p for p in path.split("/") if p]
        if parts and parts[-1] == "_bulk":
            return 200, self._bulk(body)
        if len(parts) == 2 and parts[0] == "_alias":
            return self._get_alias(method, parts[1])
        if parts == ["_aliases"]:
            return self._update_aliases(body)
        if len(parts) == 3 and parts[1] in ("_alias", "_aliases"):
            self.aliases.setdefault(parts[2], set()).add(parts[0])
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_mapping":
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 2 and parts[1] == "_search":
            return 200, self.search_response
        if len(parts) == 2 and parts[1] == "_count":
            return 200, {"count": self.search_response["hits"]["total"]["value"]}
        if len(parts) == 3 and parts[1] == "_doc":
            result = "deleted" if method == "DELETE" else "created"
            return 200, {"_index": parts[0], "_id": parts[2], "result": result, "_version": 1}
        if len(parts) == 1 and method == "PUT":
            self.indices[parts[0]] = body
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            return self._delete_index(parts[0])
        return 400, {"error": {"type": "fake_unrouted", "reason": f"{method} {path}"}}

    def _bulk(self, lines):
        items = []
        for line in lines[::2]:
            action, meta = next(iter(line.items()))
            items.append(
                {action: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": 201}}
            )
        return {"took": 1, "errors": False, "items": items}

    def _get_alias(self, method, name):
        if name not in self.aliases:
            return 404, {"error": f"alias [{name}] missing", "status": 404}
        if method == "HEAD":
            return 200, {}
        return 200, {index: {"aliases": {name: {}}} for index in sorted(self.aliases[name])}

    def _update_aliases(self, body):
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            names = self.aliases.setdefault(spec["alias"], set())
            if kind == "add":
                names.add(spec["index"])
            else:
                names.discard(spec["index"])
        return 200, {"acknowledged": True}

    def _delete_index(self, name):
        if name in self.aliases:
            return 400, {"error": {"type": "illegal_argument_exception"}, "status": 400}
        if name not in self.indices:
            return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
        del self.indices[name]
        for indices in self.aliases.values():
            indices.discard(name)
        return 200, {"acknowledged": True}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = None
                if raw:
                    text = raw.decode("utf-8")
                    if "ndjson" in (self.headers.get("Content-Type") or ""):
                        body = [json.loads(line) for line in text.splitlines() if line.strip()]
                    else:
                        body = json.loads(text)
                with fake._lock:
                    fake.requests.append(Request(self.command, url.path, parse_qs(url.query), body))
                    status, payload = fake.handle(self.command, url.path, parse_qs(url.query), body)
                data = b"" if self.command == "HEAD" else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if data:
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        return Handler


# --- pytest fixtures: import fake_es_fixture and es_settings_fixture into a test module -----


INDEX_PREFIX = "test_"
PAGE_INDEX = INDEX_PREFIX + "wagtailcore_page"


@pytest.fixture(name="fake_es")
def fake_es_fixture():
    server = FakeElasticsearch().start()
    yield server
    server.stop()


@pytest.fixture(name="es_settings")
def es_settings_fixture(settings, fake_es):
    """Point the default search backend at the fake server."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [fake_es.url],
            "INDEX_PREFIX": INDEX_PREFIX,
            "TIMEOUT": 5,
            "SEARCH_TIMEOUT": 5,
            "ATOMIC_REBUILD": True,
            "BULK_CHUNK_SIZE": 2,
        }
    }
    return settings.WAGTAILSEARCH_BACKENDS["default"]
