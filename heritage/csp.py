"""Which Content-Security-Policy a response gets: public site, admin, or preview.

The public policy (``CONTENT_SECURITY_POLICY``) allows no inline script or
style at all. Wagtail's admin (under ``ADMIN_CSP_PATH_PREFIX``) gets
``ADMIN_CONTENT_SECURITY_POLICY``: ``style-src 'self'`` (no inline style is
needed), but ``script-src 'self' 'unsafe-inline'``. Under ``script-src
'self'`` Chromium blocks these inline scripts of Wagtail 8.0, and with them
the widgets they start (our own templates and static files have none):

- ``new InlinePanel(JSON.parse("…"))`` from
  ``wagtailadmin/panels/inline_panel.html`` (block ``js_init``): sources,
  editions, media and people of a record; without it "Add" does nothing;
- ``new SnippetChooser("id_…", {"modalUrl": …})`` from
  ``wagtail/admin/widgets/chooser.py`` (``BaseChooser.render_html``): province,
  person, team and ethnic-group choosers on records, people and consents;
- ``initDateChooser("id_…", {…})`` from ``wagtailadmin/widgets/date_input.html``:
  every date field, and the page explorer's "updated" filter;
- ``initDateTimeChooser("id_go_live_at" / "id_expire_at", {…})`` from
  ``wagtailadmin/widgets/datetime_input.html``: the page editor's scheduling
  dialog, run by ``wagtailadmin/js/vendor.js`` when it is opened.

Each embeds the field's id and options, and an InlinePanel child added in the
browser brings its own with a new index, so no fixed list of hashes covers
them, and Wagtail renders them without a nonce. The dashboard, media upload
and import pages run no inline script.
A preview, draft or revision view renders an archive page, which may hold
imported text, so it gets the public policy back, allowed inside the
admin's preview frame.
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings

# Wagtail's page and snippet views that render the archive's own templates.
PREVIEW_URL_NAMES = {
    "preview_on_add",
    "preview_on_edit",
    "view_draft",
    "revisions_view",
    "workflow_preview",
}


def is_admin(request):
    return request.path_info.startswith(settings.ADMIN_CSP_PATH_PREFIX)


def is_preview(request):
    match = getattr(request, "resolver_match", None)
    return is_admin(request) and match is not None and match.url_name in PREVIEW_URL_NAMES


def policy_for(request):
    """The directives for an admin URL, or None for the public policy."""
    if is_preview(request):
        admin_frame = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"]
        return {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "frame-ancestors": admin_frame}
    if is_admin(request):
        return settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return None


class PathCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        # Wagtail renders a preview by running a made-up request for the
        # page's public URL through the middleware, which gives it the public
        # policy with frame-ancestors 'none'; the admin's frame must show it.
        if is_preview(request):
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp decorator still wins over the path's policy.
        if not report_only and parts.config is None:
            parts.config = policy_for(request)
        return parts
