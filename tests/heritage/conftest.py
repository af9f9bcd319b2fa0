import datetime

import pytest

from heritage.models import Consent, Person


@pytest.fixture
def tuyen_quang_informant(archive):
    """A Tuyên Quang informant and her public-display consent, expired on 1 January 2025."""
    person = Person.objects.create(
        name="Bà Ma Thị Then",
        role="informant",
        team=archive["Tuyên Quang"],
        birth_year=1948,
        locality="Thôn Nà Héc",
        contact="0912 345 678",
    )
    consent = Consent.objects.create(
        person=person,
        granted_by="Bà Ma Thị Then",
        covers_public_display=True,
        granted_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
    )
    return person, consent
