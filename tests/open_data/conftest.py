import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo_archive(django_db_setup, django_db_blocker):
    """The demo archive, loaded once for the package (media not processed), then rolled back."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", "--no-media-processing", "--admin-password", "pw-1")
            yield
            transaction.set_rollback(True)
