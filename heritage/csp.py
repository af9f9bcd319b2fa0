"""Which Content-Security-Policy a response gets: public site, admin, or preview.

The public policy (``CONTENT_SECURITY_POLICY``) allows no inline script or
style at all. Wagtail's admin (under ``ADMIN_CSP_PATH_PREFIX``) gets
``ADMIN_CONTENT_SECURITY_POLICY``: its widgets start with inline scripts.
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
