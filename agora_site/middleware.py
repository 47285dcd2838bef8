"""The strict Content Security Policy of the public site, sent by django-csp.

The policy is data in the settings (``CONTENT_SECURITY_POLICY``, built in
``settings/base.py``); django-csp leaves out the paths listed there (Wagtail's
admin), an empty setting and any response that already has a policy. This module
only widens its rule for Django's debug pages and lets Wagtail's preview panel frame
a page.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, sending no policy on any error page while ``DEBUG`` is on.

    Django's technical debug pages use inline scripts and styles. django-csp (and
    Django 6's own middleware of this name) skips only 404 and 500, but the same
    page also answers 400, for an unknown host or another suspicious request.
    """

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code >= 400:
            return response
        if getattr(request, "is_dummy", False):
            # Wagtail's preview panel shows the page in a frame of the admin: its
            # dummy request has the page's path, not the admin's, so it gets the
            # public policy, which forbids any frame. The admin's own origin may frame it.
            response._csp_replace = {
                **(getattr(response, "_csp_replace", None) or {}),
                "frame-ancestors": ["'self'"],
            }
        return super().process_response(request, response)
