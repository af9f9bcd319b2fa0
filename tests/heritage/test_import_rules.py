"""A row is held to the record's own rules (the model's full_clean) and its team's permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from heritage.importing import import_file
from heritage.models import FestivalPage, Province, RecordPage
from tests.heritage.importgen import make_rows, write_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _what_the_model_says(field, title="Lễ cúng rừng", **values):
    """The message the admin editor shows for these values (the model's own validation)."""
    province = Province.objects.get(name_vi="Lào Cai")
    page = FestivalPage(title=title, province_as_recorded=province, **values)
    with pytest.raises(ValidationError) as caught:
        page.full_clean(exclude=["path", "depth", "slug", "province"])
    return " ".join(caught.value.message_dict[field])


@pytest.mark.django_db
def test_rows_are_checked_by_the_models_rules_and_named_by_column(archive, tmp_path):
    rows = make_rows(4, ["Lào Cai"])
    rows[0]["lunar_day"] = "31"
    rows[1].update(solar_month="", solar_day="5")
    rows[2]["title_en"] = "Festival " * 39 + "Festival"  # the English page's title
    sheet = write_csv(tmp_path / "s.csv", rows)

    for dry_run in (True, False):
        result = import_file(sheet, dry_run=dry_run)
        errors = {(e["row"], e["column"]): e["reason"] for e in result.errors()}
        assert errors == {
            (2, "lunar_day"): _what_the_model_says("lunar_day", lunar_day=31),
            (3, "solar_month"): _what_the_model_says("solar_month", solar_day=5),
            (4, "title_en"): _what_the_model_says("title", title=rows[2]["title_en"]),
        }
        assert result.counts["created"] == 1 and result.counts["failed"] == 3
    assert set(RecordPage.objects.values_list("record_id", flat=True)) == {rows[3]["record_id"]}


@pytest.mark.django_db
def test_a_value_outside_the_choices_is_told_the_choices(archive, tmp_path):
    rows = make_rows(1, ["Lào Cai"])
    rows[0]["access"] = "secret"
    (error,) = import_file(write_csv(tmp_path / "s.csv", rows)).errors()
    assert error["column"] == "access"
    assert error["reason"] == "Value 'secret' is not a valid choice. use public, restricted"


@pytest.mark.django_db
def test_team_members_import_into_their_province_and_only_reviewers_publish(archive, tmp_path):
    users = get_user_model().objects
    editor = users.create_user("editor", password="pw")  # noqa: S106
    editor.groups.add(archive["Lào Cai"].editors)
    reviewer = users.create_user("reviewer", password="pw")  # noqa: S106
    reviewer.groups.add(archive["Lào Cai"].reviewers)
    rows = make_rows(2, ["Lào Cai", "Gia Lai"])
    sheet = write_csv(tmp_path / "s.csv", rows)

    result = import_file(sheet, user=editor, publish=True)
    errors = {e["row"]: (e["column"], e["reason"]) for e in result.errors()}
    assert errors == {
        2: ("province", "you may not publish in Lào Cai"),
        3: ("province", "Gia Lai is not a province of your team: you may not import into it"),
    }
    result = import_file(sheet, user=editor)
    assert result.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    result = import_file(sheet, user=reviewer, publish=True)
    assert result.counts == {"created": 0, "updated": 1, "unchanged": 0, "failed": 1}
    assert RecordPage.objects.get(record_id=rows[0]["record_id"], locale__language_code="vi").live
