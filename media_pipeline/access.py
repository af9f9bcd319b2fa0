"""The access policy media obeys, chosen by the project, never imported from it.

``settings.MEDIA_ACCESS_POLICY`` names an object (like Wagtail's
``WAGTAILIMAGES_IMAGE_MODEL``) with ``visible(assets, user)``, the assets of
a queryset the user may see, and ``sees_everything(user)``. The archive
hands in ``heritage.access.media_policy``.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def policy():
    # Resolved on every call (import_string only looks the module up), so a
    # test that overrides the setting gets its own policy.
    return import_string(settings.MEDIA_ACCESS_POLICY)
