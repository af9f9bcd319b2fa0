"""Who may see media is the archive's decision, handed to media by a setting.

``settings.MEDIA_ACCESS_POLICY`` names an object with
``visible(assets, user)`` (the assets of a queryset this user may see) and
``sees_everything(user)``, the way Wagtail names its image model: media
resolves it here and never imports the archive.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def policy():
    """The configured media access policy."""
    return import_string(settings.MEDIA_ACCESS_POLICY)
