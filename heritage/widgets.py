"""Admin widgets of our own, for what Wagtail has no widget for."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail.snippets.widgets import AdminSnippetChooser

from heritage.text import sort_key
from search.text import fold


class EthnicGroupCheckboxes(forms.CheckboxSelectMultiple):
    """The 54 groups as checkboxes in Vietnamese dictionary order, with a filter box.

    Wagtail has no many-to-many autocomplete. Each option carries its names
    folded as the import folds them (``data-names``), so the box above the
    list (``static/heritage/admin/group-filter.js``) finds "H'Mông" from
    "hmong" or "Mèo"; checked groups are listed first.
    """

    class Media:
        js = ["heritage/admin/group-filter.js"]
        css = {"all": ["heritage/admin/group-filter.css"]}

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        return sorted(groups, key=lambda group: sort_key(str(group[1][0]["label"])))

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        group = getattr(value, "instance", None)
        if group is not None:
            names = [group.name_vi, group.name_en, *group.other_names]
            option["attrs"]["data-names"] = "|".join(fold(n) for n in names if n)
        return option

    def render(self, name, value, attrs=None, renderer=None):
        checkboxes = super().render(name, value, attrs, renderer)
        list_id = (attrs or {}).get("id", "")
        return format_html(
            '<div class="group-picker" data-group-picker>'
            '<input type="search" class="group-picker__filter" data-group-picker-filter'
            ' aria-controls="{}" aria-label="{}" placeholder="{}" autocomplete="off">'
            '<p class="group-picker__none" data-group-picker-none hidden>{}</p>{}</div>',
            list_id,
            gettext("Filter ethnic groups"),
            gettext("Type a name or another name, with or without diacritics"),
            gettext("No ethnic group has this name."),
            checkboxes,
        )


class StoryMediaChooser(AdminSnippetChooser):
    """The media chooser of stories: media_pipeline's chooser, listing the media an
    exhibition may show (``heritage.models.stories.exhibition_media``) instead of the
    officer's team's."""

    def __init__(self, **kwargs):
        from media_pipeline.models import MediaAsset

        super().__init__(MediaAsset, **kwargs)

    def get_chooser_modal_url(self):
        return reverse("story_media_chooser:choose")
