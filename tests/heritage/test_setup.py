"""Getting a database ready: migrate, then setup_archive; the shared cache; apps not installed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from heritage.curation import set_up_archive
from heritage.models import Province
from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_url(0)
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "heritage_cache",
    }
}


def _settings_process(code, **env):
    """Run ``code`` in a fresh interpreter on the dev settings; return its stdout."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings.dev"}
    environment.pop("REDIS_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


def test_the_cache_is_the_database_without_redis_and_redis_with_it():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert _settings_process(code) == "django.core.cache.backends.db.DatabaseCache"
    assert (
        _settings_process(code, REDIS_URL=REDIS_URL)
        == "django.core.cache.backends.redis.RedisCache"
    )


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_is_shared_between_processes():
    """What one server process caches, another reads."""
    _settings_process(
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('shared-probe', 'Lễ hội Lồng Tồng', 60)",
        REDIS_URL=REDIS_URL,
    )
    redis_cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    with override_settings(CACHES=redis_cache):
        assert cache.get("shared-probe") == "Lễ hội Lồng Tồng"
        cache.delete("shared-probe")


@pytest.mark.django_db
def test_setting_up_the_archive_creates_the_database_cache_table(archive):
    with override_settings(CACHES=DATABASE_CACHE):
        assert "heritage_cache" not in connection.introspection.table_names()
        set_up_archive(provinces=Province.objects.filter(name_vi="Lào Cai"))
        assert "heritage_cache" in connection.introspection.table_names()
        cache.set("setup-probe", 42)
        assert cache.get("setup-probe") == 42


@pytest.mark.django_db
def test_django_admin_and_unused_apps_are_gone(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404
    labels = {config.label for config in apps.get_app_configs()}
    assert not labels & {"admin", "wagtailembeds", "wagtailroutablepage", "wagtailsettings"}
