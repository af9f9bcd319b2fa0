"""Stories: exhibitions written by the exhibition editors from the archive's records and media.

A story is public, but what it shows is not its own: each chosen record and
media item is shown only to a visitor the archive's access rule lets see it
(heritage.access), decided again on every view. Officers are shown the story
as a visitor sees it, with a note where something is left out.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.fields import StreamField
from wagtail.models import Page

from heritage.access import Audience, user_is_officer
from heritage.blocks import StoryChapterBlock
from heritage.forms import SLUG_FORMATTERS
from heritage.models.records import RecordPage
from heritage.models.site import attach_thumbnails
from heritage.widgets import StoryMediaChooser
from search.text import fold

STORIES_PER_PAGE = 12
FEATURED_STORIES = 3
NOT_FOR_EXHIBITION = _(
    "A story may show only public media that anyone may see, ready and without a "
    "sensitivity warning."
)


def exhibition_media():
    """The media an exhibition editor may choose: what every visitor may see (the read
    rule for the anonymous public), processed, and with no sensitivity warning.

    Whose collection it is in does not matter: a story links nothing to the item,
    so choosing it changes no one's access to it.
    """
    from media_pipeline.models import MediaAsset, ProcessingState

    return MediaAsset.objects.visible_to(Audience.PUBLIC).filter(
        state=ProcessingState.READY, sensitivity_warning=""
    )


def story_audience(user):
    """Whom a story is shown for: officers see what the public sees (a truthful preview)."""
    return Audience.PUBLIC if user_is_officer(user) else user


def visible_media_among(ids, audience):
    """The assets (ids ``ids``) ``audience`` may see, with their renditions: two queries."""
    from media_pipeline.models import MediaAsset

    return list(
        MediaAsset.objects.visible_to(audience).filter(pk__in=ids).prefetch_related("renditions")
    )


def records_shown(chosen_ids, locale_id, audience):
    """Chosen record id -> the record a story shows for it, or None when it is hidden.

    The record is shown in the story's language where a visible translation
    exists, else as chosen; never when the audience may not see it. A fixed
    number of queries, however many records are chosen.
    """
    keys = dict(RecordPage.objects.filter(pk__in=chosen_ids).values_list("pk", "translation_key"))
    visible = (
        RecordPage.objects.visible_to(audience)
        .filter(translation_key__in=set(keys.values()))
        .select_related("province", "province_as_recorded")
        .prefetch_related("ethnic_groups")
    )
    visible = attach_thumbnails(visible, audience) if keys else []
    by_key = {}
    for record in visible:
        by_key.setdefault(record.translation_key, {})[record.pk] = record
        if record.locale_id == locale_id:
            by_key[record.translation_key]["in_language"] = record
    shown = {}
    for pk, key in keys.items():
        versions = by_key.get(key, {})
        shown[pk] = versions.get("in_language") or versions.get(pk)
    return shown


def as_lead(asset):
    """``asset`` if it has a photo to show yet (an item still processing has none), else None."""
    if asset is not None and any(r.kind == "image" for r in asset.renditions.all()):
        return asset
    return None


def with_lead_images(stories, audience):
    """Set ``story.lead`` on each story: its lead image if ``audience`` may see it, else None."""
    stories = list(stories)
    ids = [story.lead_image_id for story in stories if story.lead_image_id]
    assets = {asset.pk: asset for asset in visible_media_among(ids, audience)} if ids else {}
    for story in stories:
        story.lead = as_lead(assets.get(story.lead_image_id))
    return stories


def headings_left_alone(raw_chapters, shown_records, visible_asset_ids):
    """Ids of the headings whose every following block (up to the next heading) is hidden.

    A visitor would otherwise meet a heading with nothing under it, the trace
    of a chapter left out. A heading with nothing after it at all stays.
    """
    alone, heading, hidden_after = set(), None, None
    for block in [*raw_chapters, {"type": "heading", "id": None}]:
        kind, value = block["type"], block.get("value") or {}
        if kind == "heading":
            if heading is not None and hidden_after:
                alone.add(heading)
            heading, hidden_after = block.get("id"), None
            continue
        if kind == "record":
            hidden = shown_records.get(value.get("record")) is None
        elif kind == "media":
            hidden = value.get("asset") not in visible_asset_ids
        else:
            hidden = False
        hidden_after = hidden if hidden_after is None else hidden_after and hidden
    return alone


def latest_stories(locale_id, user, count=FEATURED_STORIES):
    """The newest published stories in a locale, with the lead images ``user`` may see."""
    stories = (
        StoryPage.objects.live().filter(locale_id=locale_id).order_by("-first_published_at", "-pk")
    )
    return with_lead_images(stories[:count], story_audience(user))


class StoryIndexPage(Page):
    """The stories of one language: created once per home page by ``setup_archive``."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["heritage.HomePage"]
    subpage_types = ["heritage.StoryPage"]
    max_count_per_parent = 1
    template = "pages/story_index_page.html"

    class Meta:
        verbose_name = _("story index")
        verbose_name_plural = _("story indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.child_of(self).live().order_by("-first_published_at", "-pk")
        page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = with_lead_images(page.object_list, story_audience(request.user))
        context["stories"] = page
        return context


class StoryPageForm(WagtailAdminPageForm):
    """The lead image is one of the media an exhibition may show, and a photo."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from media_pipeline.models import MediaType

        if "lead_image" in self.fields:
            field = self.fields["lead_image"]
            field.queryset = exhibition_media().filter(media_type=MediaType.IMAGE)
            field.error_messages["invalid_choice"] = _(
                "The lead image must be a photo that a story may show: public, ready and "
                "without a sensitivity warning."
            )
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].widget = SlugInput(formatters=SLUG_FORMATTERS)

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("slug") and cleaned_data.get("title") and self.parent_page:
            base = slugify(fold(cleaned_data["title"]))[:200]
            if not base:
                raise ValidationError({"slug": _("Give the story an address (slug).")})
            self.instance.title = cleaned_data["title"]
            self.instance._cached_parent_obj = self.parent_page
            cleaned_data["slug"] = self.instance._get_autogenerated_slug(base)
        return cleaned_data


class StoryPage(Page):
    """A story told with the archive's records and media, chapter by chapter."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown under the title and on the story's card."),
    )
    lead_image = models.ForeignKey(
        "media_pipeline.MediaAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
        help_text=_("A public photo from the archive that opens the story."),
    )
    chapters = StreamField(StoryChapterBlock(), blank=True, verbose_name=_("chapters"))

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("lead_image", widget=StoryMediaChooser),
        FieldPanel("chapters"),
    ]
    base_form_class = StoryPageForm
    parent_page_types = ["heritage.StoryIndexPage"]
    subpage_types = []
    template = "pages/story_page.html"

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        audience = story_audience(request.user)
        record_ids, asset_ids = self.chapters.stream_block.chosen_ids(self.chapters.raw_data)
        if self.lead_image_id:
            asset_ids.append(self.lead_image_id)
        media = visible_media_among(asset_ids, audience) if asset_ids else []
        # The chapters' media blocks look their asset up here (heritage_tags.visible_asset).
        context["media_items"] = media
        visible_lead = next((a for a in media if a.pk == self.lead_image_id), None)
        context["lead"] = as_lead(visible_lead)
        context["lead_withheld"] = bool(self.lead_image_id) and visible_lead is None
        context["story_records"] = records_shown(record_ids, self.locale_id, audience)
        context["notes_for_officers"] = user_is_officer(request.user)
        # Officers keep the heading: their notes for the hidden blocks follow it.
        context["hidden_headings"] = (
            set()
            if context["notes_for_officers"]
            else headings_left_alone(
                self.chapters.raw_data, context["story_records"], {a.pk for a in media}
            )
        )
        return context
