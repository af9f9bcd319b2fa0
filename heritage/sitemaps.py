"""The sitemap: every public page in both languages, each listing the other as an alternate.

Wagtail's sitemap lists only the site root's tree (the Vietnamese pages)
and names the Site's hostname; this one lists every language's tree, and
its URLs carry the host the request came to.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class ArchiveSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key)
        in_any_tree = Q()
        for home in homes:
            in_any_tree |= Q(path__startswith=home.path)
        return (
            Page.objects.filter(in_any_tree)
            .live()
            .public()
            .order_by("path")
            .select_related("locale")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        # Restricted records say they have no URL (RecordPage.get_sitemap_urls).
        listed = []
        for item in self.paginator.page(page).object_list:
            for info in item.get_sitemap_urls(self.request):
                info["location"] = self.request.build_absolute_uri(item.get_url(self.request))
                listed.append((item, info))
        by_translation = {}
        for item, info in listed:
            by_translation.setdefault(item.translation_key, []).append(
                {"lang_code": item.locale.language_code, "location": info["location"]}
            )
        urls = []
        for item, info in listed:
            alternates = by_translation[item.translation_key]
            if len(alternates) > 1:
                default = [a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE]
                info["alternates"] = alternates + [
                    {"lang_code": "x-default", "location": a["location"]} for a in default
                ]
            urls.append(info)
        lastmods = [info.get("lastmod") for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
