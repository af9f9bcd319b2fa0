"""Guards for hostile-input tests: no traceback in the logs, no change to other data.

``LogGuard`` is installed by the ``no_tracebacks`` fixture (tests/conftest.py);
``data_unchanged`` is a context manager a test wraps around the hostile request.
"""

import logging
from contextlib import contextmanager

# Named as well as the root: a logger that stops propagation would hide its records.
WATCHED_LOGGERS = [
    "",
    "django",
    "django.request",
    "django.server",
    "django_tasks",
    "django_tasks_db",
    "heritage",
    "media_pipeline",
    "search",
]


class LogGuard(logging.Handler):
    """Collects every WARNING and above; ``problems()`` names the ones a user must never cause."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        if all(record is not seen for seen in self.records):  # propagated to several watched
            self.records.append(record)

    def install(self):
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self)

    def uninstall(self):
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).removeHandler(self)

    def problems(self):
        """One line per record that carries a traceback or reports a server error."""
        found = []
        for record in self.records:
            message = record.getMessage()
            if record.exc_info or record.exc_text or record.stack_info:
                found.append(f"traceback logged by {record.name}: {message[:200]}")
            elif "Traceback (most recent call last)" in message:
                found.append(f"traceback in the message of {record.name}: {message[:200]}")
            elif getattr(record, "status_code", 0) >= 500:
                found.append(f"server error {record.status_code}: {message[:200]}")
        return found


def data_fingerprint():
    """What a hostile request must not touch, kind -> {primary key: the state that matters}."""
    from wagtail.models import Page

    from heritage.models import Consent, ImportRun, Person, RecordPage
    from media_pipeline.models import MediaAsset

    return {
        "pages": dict(Page.objects.values_list("pk", "latest_revision_id")),
        "records": {
            pk: rest
            for pk, *rest in RecordPage.objects.values_list(
                "pk", "record_id", "title", "live", "latest_revision_id", "access"
            )
        },
        "assets": {
            pk: rest
            for pk, *rest in MediaAsset.objects.values_list(
                "pk", "file", "sha256", "state", "title", "access"
            )
        },
        "people": {pk: rest for pk, *rest in Person.objects.values_list("pk", "name", "team_id")},
        "consents": {
            pk: rest
            for pk, *rest in Consent.objects.values_list(
                "pk", "person_id", "covers_public_display", "withdrawn_on"
            )
        },
        "import_runs": dict(ImportRun.objects.values_list("pk", "status")),
    }


@contextmanager
def data_unchanged(*, may_add=()):
    """Fail if the block changed or removed anything, or added to a kind not in ``may_add``.

    ``may_add`` names the kinds the block is meant to write (a failed import
    run, the asset of a refused upload); their existing rows must still be
    untouched.
    """
    before = data_fingerprint()
    yield
    after = data_fingerprint()
    for kind, rows in before.items():
        assert {pk: after[kind].get(pk) for pk in rows} == rows, f"{kind} changed"
        added = set(after[kind]) - set(rows)
        assert kind in may_add or not added, f"{kind} added: {sorted(added)}"
