"""A strict Content Security Policy for the public site.

Every page of the portal works without inline scripts, inline styles or inline
event handlers, so the browser can refuse anything an attacker manages to inject.
Wagtail's admin relies on inline scripts and is left out by path prefix.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Add ``settings.AGORA_CSP`` to every response outside ``AGORA_CSP_EXEMPT_PATHS``.

    An empty ``AGORA_CSP`` switches the header off. A response that already has
    a policy (set by a view) keeps its own. Django's technical debug pages use
    inline scripts and styles, so they get no policy while ``DEBUG`` is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "AGORA_CSP", "")
        if not policy or HEADER in response:
            return response
        exempt = getattr(settings, "AGORA_CSP_EXEMPT_PATHS", ())
        if any(request.path.startswith(prefix) for prefix in exempt):
            return response
        if settings.DEBUG and response.status_code >= 400:
            return response
        response[HEADER] = policy
        return response
