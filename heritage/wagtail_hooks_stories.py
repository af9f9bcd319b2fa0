"""The stories' media chooser: media_pipeline's chooser, listing the media a story may show."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from heritage.models.stories import exhibition_media
from media_pipeline.models import MediaAsset
from media_pipeline.wagtail_hooks import (
    AssetChooseResultsView,
    AssetChooseView,
    AssetChosenView,
)


class ExhibitionMediaMixin:
    def get_object_list(self):
        return exhibition_media().prefetch_related("renditions")


class StoryMediaChooseView(ExhibitionMediaMixin, AssetChooseView):
    pass


class StoryMediaChooseResultsView(ExhibitionMediaMixin, AssetChooseResultsView):
    pass


class StoryMediaChosenView(AssetChosenView):
    def get_object(self, pk):
        return exhibition_media().get(pk=pk)


class StoryMediaChooserViewSet(SnippetChooserViewSet):
    choose_view_class = StoryMediaChooseView
    choose_results_view_class = StoryMediaChooseResultsView
    chosen_view_class = StoryMediaChosenView
    # Record forms keep media_pipeline's chooser (the team's media) for their asset fields.
    register_widget = False
    icon = "media"
    choose_one_text = _("Choose a media item")
    choose_another_text = _("Choose another media item")


@hooks.register("register_admin_viewset")
def register_story_media_chooser():
    return StoryMediaChooserViewSet(
        "story_media_chooser", model=MediaAsset, url_prefix="story-media/chooser"
    )
