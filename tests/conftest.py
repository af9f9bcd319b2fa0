import pytest

from heritage.curation import set_up_archive
from heritage.models import Province, Team

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
        teams = _set_up_test_archive()
    return {team.province.name_vi: team for team in teams}
