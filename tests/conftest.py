import pytest

from heritage.curation import set_up_archive
from heritage.models import Province

# Teams for a few provinces keep set-up fast; tests needing all 34 set them up themselves.
TEST_PROVINCES = ["Tuyên Quang", "Lào Cai", "Đồng Nai", "Đắk Lắk", "Gia Lai", "Lạng Sơn"]


@pytest.fixture
def archive(db):
    """Locales, home pages and teams (with sections and workflows) for TEST_PROVINCES."""
    teams = set_up_archive(provinces=Province.objects.filter(name_vi__in=TEST_PROVINCES))
    return {team.province.name_vi: team for team in teams}
