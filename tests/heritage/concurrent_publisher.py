"""Run by test_sqlite_concurrency in several processes at once: publish N records."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings.dev")
django.setup()

from django.db import OperationalError  # noqa: E402

from tests.factories import make_record  # noqa: E402

worker, count = sys.argv[1], int(sys.argv[2])
failures = 0
for n in range(count):
    try:
        make_record(f"Lễ hội thử {worker}-{n}", province="Tuyên Quang")
    except OperationalError as error:
        failures += 1
        print(f"failed: {error}", file=sys.stderr)
print(failures)
