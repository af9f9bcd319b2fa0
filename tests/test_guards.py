"""The hostile-input guards catch what they promise to, and nothing a clean refusal logs."""

import logging

import pytest

from heritage.models import ImportRun, Person
from tests.guards import LogGuard, data_unchanged


@pytest.fixture
def guard():
    guard = LogGuard()
    guard.install()
    yield guard
    guard.uninstall()


def test_a_refusal_logged_as_one_line_passes(guard):
    logging.getLogger("heritage.importing").warning("Import row %s failed: %s", 2, "bad id")
    logging.getLogger("django.request").warning("Bad Request: /api/search/")
    assert guard.problems() == []


def test_tracebacks_and_server_errors_are_caught_wherever_they_are_logged(guard):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("media_pipeline.jobs").exception("job 1 failed")
        logging.getLogger("django_tasks").error("task failed", exc_info=True)
    logging.getLogger("django.request").error(
        "Internal Server Error: /search/", extra={"status_code": 500}
    )
    logging.getLogger("somewhere.else").warning("Traceback (most recent call last):\n ...")
    assert len(guard.problems()) == 4


@pytest.mark.django_db
def test_data_unchanged_allows_only_the_named_additions(archive):
    person = Person.objects.create(name="Hoàng Thị Hoa", role="informant")
    with data_unchanged(may_add=("import_runs",)):
        ImportRun.objects.create(original_filename="a.csv")
    with pytest.raises(AssertionError, match="people added"), data_unchanged():
        Person.objects.create(name="Lò Văn Páo", role="elder")
    with pytest.raises(AssertionError, match="people changed"), data_unchanged(may_add=("people",)):
        Person.objects.filter(pk=person.pk).update(name="x")
