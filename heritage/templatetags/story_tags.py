"""Template helpers for stories: the home page's stories, a chapter's record."""

from django import template

from heritage.models.stories import latest_stories

register = template.Library()


@register.simple_tag(takes_context=True)
def featured_stories(context, home):
    """The newest published stories in the home page's language, for its stories section."""
    request = context.get("request")
    return latest_stories(home.locale_id, request.user if request is not None else None)


@register.simple_tag(takes_context=True)
def story_record(context, chosen):
    """The record a story's chapter shows for the ``chosen`` page, or None if it is hidden.

    The story page decided it for the whole story at once (``records_shown``).
    """
    if chosen is None:
        return None
    return (context.get("story_records") or {}).get(chosen.pk)
