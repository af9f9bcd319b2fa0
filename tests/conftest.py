import pytest

from heritage.curation import set_up_archive
from heritage.models import Province, Team
from tests.factories import ensure_reference_data
from tests.media_pipeline import mediagen

# Teams for a few provinces keep set-up fast; tests needing all 34 set them up themselves.
TEST_PROVINCES = ["Tuyên Quang", "Lào Cai", "Đồng Nai", "Đắk Lắk", "Gia Lai", "Lạng Sơn"]


def _set_up_test_archive():
    return set_up_archive(provinces=Province.objects.filter(name_vi__in=TEST_PROVINCES))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the test archive once per run; each test then rolls back to it."""
    with django_db_blocker.unblock():
        _set_up_test_archive()


@pytest.fixture
def archive(db):
    """Locales, home pages and teams (with sections and workflows) for TEST_PROVINCES."""
    teams = list(Team.objects.filter(province__name_vi__in=TEST_PROVINCES))
    if len(teams) < len(TEST_PROVINCES):  # a transactional test emptied the database
        ensure_reference_data()
        teams = _set_up_test_archive()
    return {team.province.name_vi: team for team in teams}


class TaskQueue:
    """The database task queue and its real worker, ``manage.py db_worker``."""

    def work_once(self):
        """One ``db_worker --batch`` run: every task queued so far (what they queue waits)."""
        from django.core.management import call_command
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    def run_until_empty(self, rounds=10):
        """Run the worker until the queue is empty (work done on commit queues more)."""
        from django_tasks_db.models import DBTaskResult

        for _round in range(rounds):
            if not DBTaskResult.objects.filter(status="READY").exists():
                return
            self.work_once()
        raise AssertionError("the task queue did not empty")


@pytest.fixture
def task_queue(settings, monkeypatch):
    """A task queue that runs nothing by itself, as in production, and its worker.

    The worker drops "old" connections between tasks; inside a test's
    transaction that would close the test's own PostgreSQL connection.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return TaskQueue()


@pytest.fixture
def work_dirs(settings, tmp_path):
    """Job scratch space and the tus upload area in this test's own folders."""
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    settings.MEDIA_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Small sources made once: 1 s 320x180 video with sound, a WAV, a photo."""
    d = tmp_path_factory.mktemp("tiny")
    return {
        "video": mediagen.video(d, "clip.mp4", size="320x180", duration=1),
        "wav": mediagen.tone_wav(d, "tone.wav", -12.0),
        "truncated": mediagen.truncated_without_moov(d),
        "dir": d,
    }


@pytest.fixture
def officer(db, django_user_model):
    return django_user_model.objects.create_superuser("officer", "o@example.org", "pw")


@pytest.fixture
def no_tracebacks():
    """Fail the test if anything logged a traceback or a server error while it ran.

    Hostile input must end in a clear 4xx, row error or job error; a warning
    that says what was refused is fine.
    """
    from tests.guards import LogGuard

    guard = LogGuard()
    guard.install()
    yield guard
    guard.uninstall()
    problems = guard.problems()
    if problems:
        pytest.fail("hostile input reached an unhandled error:\n" + "\n".join(problems))
