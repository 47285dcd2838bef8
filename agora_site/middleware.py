"""The strict Content Security Policy of the public site, sent by django-csp.

The policy is data in the settings (``CONTENT_SECURITY_POLICY``, built in
``settings/base.py``); django-csp leaves out the paths listed there (Wagtail's
admin), an empty setting and any response that already has a policy. This module
only widens its rule for Django's debug pages.
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
        return super().process_response(request, response)
