"""The one place templates ask for a media asset's public URL."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def media_url(context, asset, purpose="original"):
    """URL of ``asset`` for ``purpose`` ("image", "thumbnail", "poster", "video", "audio", "download").

    Returns "" until the media pipeline's serving view exists; templates then
    show a placeholder. Callers pass only assets already checked with
    ``MediaAsset.objects.visible_to``.
    """
    return ""
