"""Visitors meet the archive's own 404 and 500 pages, in their language, with a search box."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "heading", "search_action"),
    [
        ("/khong-co-trang-nay/", "Không tìm thấy trang", 'action="/search/"'),
        ("/en/no-such-page/", "Page not found", 'action="/en/search/"'),
    ],
)
def test_missing_page_is_the_archives_404_with_a_search_box(
    client, archive, path, heading, search_action
):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert 'class="search-box"' in html and search_action in html
    assert 'name="q"' in html


@pytest.mark.urls("tests.heritage.error_urls")
@pytest.mark.parametrize(
    ("path", "heading", "search_action", "lang"),
    [
        ("/broken/", "Đã có lỗi xảy ra", 'action="/search/"', 'lang="vi"'),
        ("/en/broken/", "Something went wrong", 'action="/en/search/"', 'lang="en"'),
    ],
)
def test_a_server_error_is_the_archives_500_in_the_visitors_language(
    client, archive, path, heading, search_action, lang
):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert heading in html and lang in html
    assert 'class="search-box"' in html and search_action in html
    assert "Traceback" not in html


def test_the_demo_settings_run_without_debug():
    """``python3 bootstrap.py`` serves with DJANGO_DEBUG=0: the dev settings then leave DEBUG
    off and serve static files through WhiteNoise from collectstatic's hashed copies."""
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings.dev", "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()[-3:]  # after whatever the settings print
    assert out == ["False", "heritage.static_storage.ServedStaticStorage", "True"]
    bootstrap = (ROOT / "bootstrap.py").read_text()
    assert 'DJANGO_DEBUG=os.environ.get("DJANGO_DEBUG", "0")' in bootstrap


def test_collectstatic_makes_the_served_copies_of_every_static_file(tmp_path, settings):
    """``python3 bootstrap.py`` runs collectstatic before it serves: a vendored file naming a
    source map that is not shipped must not stop it."""
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "heritage.static_storage.ServedStaticStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    stylesheet = manifest["open_data/vendor/swagger-ui.css"]
    assert (tmp_path / stylesheet).exists() and (tmp_path / f"{stylesheet}.br").exists()
    assert "media_pipeline/vendor/tus.min.js" in manifest
