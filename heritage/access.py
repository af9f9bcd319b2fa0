"""The one access rule for restricted content.

Every surface (pages, permalinks, search, API, feeds, sitemaps, media files,
thumbnails) asks these functions, through ``RecordQuerySet.visible_to`` and
``MediaAssetQuerySet.visible_to``, and never decides on its own.
"""

from django.db import models
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
