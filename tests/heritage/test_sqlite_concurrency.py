"""SQLite holds up to a team publishing at once (WAL, IMMEDIATE transactions, busy timeout)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, PUBLISHES_EACH = 6, 15

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite-specific: PostgreSQL has row-level locking",
)


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@pytest.mark.slow
def test_ninety_concurrent_publishes_all_succeed(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'team.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "heritage.settings.dev",
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--no-input")
    manage(
        env,
        "shell",
        "-c",
        "from heritage.curation import set_up_archive; "
        "from heritage.models import Province; "
        "set_up_archive(Province.objects.filter(name_vi='Tuyên Quang'))",
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "tests/heritage/concurrent_publisher.py", str(i), str(PUBLISHES_EACH)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    results = [worker.communicate(timeout=600) for worker in workers]
    failures = sum(int(out.strip().splitlines()[-1]) for out, _ in results)
    errors = "".join(err for _, err in results if "failed:" in err)
    assert failures == 0, errors
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in results]
