"""Serve the demo with gunicorn (2 workers) and measure its public pages against a minimal view.

    python3 bootstrap.py setup && .venv/bin/python manage.py load_demo   # once: the demo
    .venv/bin/python bench/pages.py [--seconds 30] [--threads 8]

Uses the demo database the settings name (``var/db.sqlite3`` by default:
``python3 bootstrap.py`` makes it), runs ``collectstatic``, then starts
gunicorn on 127.0.0.1 with DEBUG off (as the demo runs). For home, a
record, search and the calendar (``/calendar/``, skipped with a note where
it does not exist) it prints: the compressed bytes of a first view (the
HTML and the stylesheets and scripts it links, as a browser accepting
brotli and gzip gets them), the SQL queries of one render (the page cache
off, in this process), and requests per second and p95 latency under a
bounded loopback load from a thread pool (``--seconds`` per page), each as a
ratio to a minimal Django view served by the same server in the same run
(target for cached anonymous pages: at least 0.8). Progress on stderr,
results on stdout.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETTINGS = "bench.pages_site.settings"
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DJANGO_DEBUG": "0"}
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script[^>]* src)="(/static/[^"]+)"')


def say(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, encoding="br, gzip"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, response.read(), response.headers


def first_view_bytes(base, path):
    status, body, headers = fetch(base + path)
    total = len(body)
    html = body
    if headers.get("Content-Encoding") == "gzip":
        import gzip

        html = gzip.decompress(body)
    for asset in set(ASSET.findall(html.decode("utf-8", "replace"))):
        total += len(fetch(base + asset)[1])
    return status, total


def queries_per_page(paths):
    """SQL queries of one anonymous render of each page, page cache off (this process)."""
    import django

    os.environ.update(ENV)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm per-process caches (content types, site root paths)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts[name] = len(captured)
    return counts


def load(url, seconds, threads):
    """Requests per second and p95 latency (ms) of ``threads`` clients for ``seconds``."""
    deadline = time.monotonic() + seconds

    def client():
        latencies = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                fetch(url, encoding="gzip")
            except urllib.error.URLError:
                continue
            latencies.append(time.perf_counter() - started)
        return latencies

    with ThreadPoolExecutor(max_workers=threads) as pool:
        latencies = [lat for part in pool.map(lambda _: client(), range(threads)) for lat in part]
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0
    return len(latencies) / seconds, p95


def pick_paths(base):
    """Home, one record (the first card on the home page), search, calendar."""
    _status, body, headers = fetch(base + "/", encoding="identity")
    cards = re.findall(r'<h3 class="card-title"><a href="([^"]+)"', body.decode())
    paths = {"home": "/", "search": "/search/?q=le+hoi"}
    if cards:
        paths["record"] = cards[0]
    else:
        say("no record on the home page: load the demo first (manage.py load_demo)")
    try:
        fetch(base + "/calendar/", encoding="identity")
        paths["calendar"] = "/calendar/"
    except urllib.error.HTTPError:
        say("/calendar/ does not exist yet: the calendar page is skipped")
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="load per page (default 30)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients (default 8)")
    args = parser.parse_args()
    python = sys.executable
    say("collectstatic (hashed names, gzip and brotli copies)")
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=ENV, check=True
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    say(f"gunicorn, 2 workers, at {base}")
    server = subprocess.Popen(  # noqa: S603
        [
            python,
            "-m",
            "gunicorn",
            "heritage.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--env",
            f"DJANGO_SETTINGS_MODULE={SETTINGS}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _attempt in range(100):
            try:
                fetch(base + "/bench/minimal/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        paths = pick_paths(base)
        say("SQL queries per page")
        queries = queries_per_page(paths)
        say(f"minimal view under load for {args.seconds:g} s")
        base_rps, base_p95 = load(base + "/bench/minimal/", args.seconds, args.threads)
        print(f"minimal view: {base_rps:.1f} req/s, p95 {base_p95:.1f} ms")
        for name, path in paths.items():
            status, size = first_view_bytes(base, path)
            fetch(base + path, encoding="gzip")  # the first anonymous view fills the page cache
            say(f"{name} ({path}) under load for {args.seconds:g} s")
            rps, p95 = load(base + path, args.seconds, args.threads)
            print(
                f"{name}: status {status}, first view {size} bytes compressed, "
                f"{queries[name]} SQL queries, {rps:.1f} req/s ({rps / base_rps:.2f} of minimal), "
                f"p95 {p95:.1f} ms ({p95 / base_p95 if base_p95 else 0:.2f} of minimal)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
