"""Media asks the policy named by MEDIA_ACCESS_POLICY; the archive's is the default."""

import pytest

from heritage.access import Access, media_policy
from media_pipeline.access import policy
from media_pipeline.models import AssetAccess, MediaAsset

pytestmark = pytest.mark.django_db


class NothingVisible:
    """A stand-in policy: shows nothing to anyone, and no one sees everything."""

    def sees_everything(self, user):
        return False

    def visible(self, assets, user):
        return assets.none()


nothing_visible = NothingVisible()


def test_media_access_choices_are_the_archive_s():
    # Same values and labels, so the field needs no migration and forms read the same.
    assert AssetAccess.choices == Access.choices


def test_the_archive_s_policy_is_the_default():
    assert policy() is media_policy


def test_media_follows_whatever_policy_the_setting_names(settings, django_user_model):
    officer = django_user_model.objects.create_superuser("officer", "o@example.org", "pw")
    asset = MediaAsset.objects.create(title="Hát then", file="masters/then.wav")
    assert list(MediaAsset.objects.visible_to(officer)) == [asset]

    settings.MEDIA_ACCESS_POLICY = "tests.heritage.test_media_policy.nothing_visible"
    assert policy() is nothing_visible
    assert list(MediaAsset.objects.visible_to(officer)) == []
