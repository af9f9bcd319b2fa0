"""One fold for slugs, file names and search; Vietnamese dictionary order."""

import pytest

from heritage.importing import import_file
from heritage.models import RecordPage
from heritage.text import sort_key
from media_pipeline.ingest import sanitise_filename
from search.text import fold, tokens
from tests.factories import make_record
from tests.heritage.importgen import make_rows, write_csv


@pytest.mark.django_db
def test_slugs_file_names_and_search_fold_alike(archive, tmp_path):
    title = "Lễ cúng rừng M’Nông ĐẮK  Lắk"
    words = ["le", "cung", "rung", "mnong", "dak", "lak"]
    assert tokens(title) == words and fold(title) == "le cung rung mnong dak lak"
    assert sanitise_filename(f"{title}.MP4") == "_".join(words) + ".mp4"
    # A record saved in the admin and one imported from a sheet get the same slug.
    assert make_record(title).slug == "-".join(words)
    row = make_rows(1, ["Đắk Lắk"], english=False)[0]
    row["title_vi"] = title
    import_file(write_csv(tmp_path / "s.csv", [row]))
    imported = RecordPage.objects.get(record_id=row["record_id"])
    assert imported.slug == "-".join(words)


def test_sort_key_follows_the_vietnamese_alphabet():
    names = ["Yên Bái", "Đắk Lắk", "Ê Đê", "Dao", "Ơ Đu", "Ông", "Ba Na", "Ăn", "Âu", "An"]
    assert sorted(names, key=sort_key) == [
        "An",
        "Ăn",
        "Âu",
        "Ba Na",
        "Dao",
        "Đắk Lắk",
        "Ê Đê",
        "Ông",
        "Ơ Đu",
        "Yên Bái",
    ]


def test_letters_decide_before_tones():
    # â is a letter after a, so "Tày" comes before "Tây"; tones only break ties.
    assert sorted(["Tây", "Tày", "Tà", "Ta"], key=sort_key) == ["Ta", "Tà", "Tày", "Tây"]
