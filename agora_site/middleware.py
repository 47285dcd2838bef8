"""Security headers: the strict Content Security Policy of the public site, sent by
django-csp, and the Permissions-Policy.

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


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (``AGORA_PERMISSIONS_POLICY``; empty: none) on every
    response that has none: the portal uses no camera, microphone, location, …"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.AGORA_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
