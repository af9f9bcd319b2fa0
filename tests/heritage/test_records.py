"""Record identity: slugs, record IDs and their uniqueness per locale."""

from tests.factories import make_record


def test_record_slugs_are_ascii_and_keep_d_from_dj(archive):
    record = make_record("Lễ hội Đâm trâu", groups=["Ba Na"], province="Gia Lai")
    assert record.slug == "le-hoi-dam-trau"


def test_record_id_is_generated_and_shared_by_the_translation(archive):
    from wagtail.models import Locale

    record = make_record("Lễ hội Gầu Tào", groups=["H'Mông"], province="Lào Cai")
    assert record.record_id.startswith("vh-") and len(record.record_id) == 11
    english = record.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    assert english.record_id == record.record_id
    assert english.record_key != record.record_key


def test_record_id_cannot_be_reused_by_another_record(archive):
    import pytest
    from django.core.exceptions import ValidationError

    first = make_record("Lễ hội Lồng Tồng")
    second = make_record("Lễ hội Nàng Hai", publish=False)
    second.record_id = first.record_id
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "record_id" in error.value.message_dict
