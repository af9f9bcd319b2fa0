"""StreamField blocks for a record's body and a story's chapters."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.coreutils import resolve_model_string
from wagtail.snippets.blocks import SnippetChooserBlock

MEDIA_ASSET = "media_pipeline.MediaAsset"
PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]


class MediaBlock(blocks.StructBlock):
    asset = SnippetChooserBlock(MEDIA_ASSET, label=_("media item"))
    caption = blocks.CharBlock(required=False, label=_("caption"))


class ImageBlock(MediaBlock):
    alt_text = blocks.CharBlock(
        required=False,
        label=_("alternative text"),
        help_text=_("Describe the image for people who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "components/blocks/image_block.html"
        label = _("Image")
        description = _("A photo from the archive with a caption and alternative text.")


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, label=_("title"))
    images = blocks.ListBlock(ImageBlock(), label=_("images"))

    class Meta:
        icon = "grip"
        template = "components/blocks/gallery_block.html"
        label = _("Gallery")
        description = _("Several photos shown together.")


class VideoBlock(MediaBlock):
    class Meta:
        icon = "media"
        template = "components/blocks/video_block.html"
        label = _("Video")
        description = _("A video from the archive, streamed in adaptive quality.")


class AudioBlock(MediaBlock):
    class Meta:
        icon = "media"
        template = "components/blocks/audio_block.html"
        label = _("Audio")
        description = _("An audio recording: a song, music or speech.")


class DocumentBlock(MediaBlock):
    class Meta:
        icon = "doc-full"
        template = "components/blocks/document_block.html"
        label = _("Document")
        description = _("A document such as a field report or a scanned manuscript.")


class OralTestimonyBlock(blocks.StructBlock):
    speaker = SnippetChooserBlock("heritage.Person", label=_("speaker"))
    recording = SnippetChooserBlock(MEDIA_ASSET, required=False, label=_("recording"))
    language = blocks.CharBlock(
        required=False, label=_("language"), help_text=_("e.g. Tày, H'Mông, Vietnamese")
    )
    transcript = blocks.TextBlock(label=_("transcript"))
    translation = blocks.TextBlock(required=False, label=_("translation"))

    class Meta:
        icon = "openquote"
        template = "components/blocks/oral_testimony_block.html"
        label = _("Oral testimony")
        description = _("A speaker's account with its transcript and translation.")


class RecordBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        label=_("Text"),
        icon="pilcrow",
        template="components/blocks/paragraph_block.html",
        description=_("Formatted text."),
        preview_value="<p>Lễ hội diễn ra vào mùng 5 tháng Giêng.</p>",
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentBlock()
    oral_testimony = OralTestimonyBlock()

    def media_asset_ids(self, value):
        """Ids of every media asset the body shows, so the media relation can follow it."""
        ids = []
        for child in value:
            data = child.value
            if child.block_type == "gallery":
                ids.extend(item["asset"].pk for item in data["images"] if item["asset"])
            elif child.block_type in {"image", "video", "audio", "document"} and data["asset"]:
                ids.append(data["asset"].pk)
            elif child.block_type == "oral_testimony" and data["recording"]:
                ids.append(data["recording"].pk)
        return ids


# --- Stories --------------------------------------------------------------------------


class StoryMediaChooserBlock(blocks.ChooserBlock):
    """A media item for a story, from the media an exhibition may show (heritage.models.stories).

    The chooser lists only those, and the block accepts only those: a story
    is public, so a restricted, hidden, unready or sensitive item never enters it.
    """

    @cached_property
    def target_model(self):
        return resolve_model_string(MEDIA_ASSET)

    @cached_property
    def widget(self):
        from heritage.widgets import StoryMediaChooser

        return StoryMediaChooser()

    @cached_property
    def field(self):
        from heritage.models.stories import NOT_FOR_EXHIBITION, exhibition_media

        field = super().field
        field.queryset = exhibition_media()
        field.error_messages["invalid_choice"] = NOT_FOR_EXHIBITION
        return field

    class Meta:
        icon = "media"


class StoryMediaBlock(blocks.StructBlock):
    asset = StoryMediaChooserBlock(label=_("media item"))
    caption = blocks.CharBlock(required=False, label=_("caption"))
    alt_text = blocks.CharBlock(
        required=False,
        label=_("alternative text"),
        help_text=_("For a photo: describe it for people who cannot see it."),
    )

    class Meta:
        icon = "media"
        template = "components/blocks/story_media_block.html"
        label = _("Media")
        description = _("A photo, video, recording or document from the archive's public media.")


class StoryRecordBlock(blocks.StructBlock):
    record = blocks.PageChooserBlock(page_type="heritage.RecordPage", label=_("record"))
    note = blocks.CharBlock(
        required=False,
        label=_("note"),
        help_text=_("A line on why this record belongs to the story."),
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "components/blocks/story_record_block.html"
        label = _("Record")
        description = _("A record of the archive, shown as its card to visitors who may see it.")


class StoryChapterBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        icon="title",
        template="components/blocks/story_heading_block.html",
        description=_("A chapter's heading."),
    )
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        label=_("Text"),
        icon="pilcrow",
        template="components/blocks/paragraph_block.html",
        description=_("Formatted text."),
    )
    record = StoryRecordBlock()
    media = StoryMediaBlock()

    def chosen_ids(self, raw_chapters):
        """(record page ids, asset ids) a story's stored chapters name, read without a query."""
        records, assets = [], []
        for chapter in raw_chapters:
            value = chapter.get("value") or {}
            if chapter["type"] == "record" and value.get("record"):
                records.append(value["record"])
            elif chapter["type"] == "media" and value.get("asset"):
                assets.append(value["asset"])
        return records, assets
