"""The one access rule for restricted content.

Every surface (pages, permalinks, search, API, feeds, sitemaps, media files,
thumbnails) asks these functions, through ``RecordQuerySet.visible_to`` and
``MediaAssetQuerySet.visible_to``, and never decides on its own.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted (officers and named groups only)")


def user_is_officer(user):
    """Cultural officers (anyone who may use the admin) see every record."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def user_group_ids(user):
    if not (user and user.is_authenticated and user.is_active):
        return []
    return list(user.groups.values_list("pk", flat=True))


class MediaPolicy:
    """The archive's rule for media, handed to ``media_pipeline`` by ``MEDIA_ACCESS_POLICY``."""

    def sees_everything(self, user):
        return user_is_officer(user)

    def visible(self, assets, user):
        """The assets this user may see.

        For a visitor an asset must be public, linked to at least one record
        they may see and to no restricted record they may not, and every
        person appearing in it must hold a valid public-display consent.
        """
        if self.sees_everything(user):
            return assets
        from heritage.models import Consent, ConsentScope, Person, RecordMedia, RecordPage

        visible_records = RecordPage.objects.visible_to(user).values("pk")
        hidden_links = RecordMedia.objects.exclude(page__in=visible_records)
        people_without_consent = Person.objects.exclude(
            pk__in=Consent.objects.valid(ConsentScope.PUBLIC_DISPLAY).values("person")
        )
        return assets.filter(
            Q(access=Access.PUBLIC),
            pk__in=RecordMedia.objects.filter(page__in=visible_records).values("asset"),
        ).exclude(
            Q(pk__in=hidden_links.values("asset"))
            | Q(pk__in=people_without_consent.values("media_assets"))
        )


media_policy = MediaPolicy()
