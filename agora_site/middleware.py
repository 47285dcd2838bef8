"""A strict Content Security Policy for the public site.

Every page of the portal works without inline scripts, inline styles or inline
event handlers, so the browser can refuse anything an attacker manages to inject.
Wagtail's admin relies on inline scripts and is left out by path prefix.
"""

import re

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy():
    """``AGORA_CSP`` with the origins of ``AGORA_CSP_FORM_ACTION_EXTRA`` added to form-action.

    Browsers check form-action against redirects too: the single sign-on buttons
    and the sign-out button post to our own URLs, which redirect to the identity
    provider, so its origin must be allowed there.
    """
    value = getattr(settings, "AGORA_CSP", "")
    extra = " ".join(getattr(settings, "AGORA_CSP_FORM_ACTION_EXTRA", ()))
    if value and extra:
        value = re.sub(r"(form-action [^;]*)", rf"\1 {extra}", value)
    return value


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
        value = policy()
        if not value or HEADER in response:
            return response
        exempt = getattr(settings, "AGORA_CSP_EXEMPT_PATHS", ())
        if any(request.path.startswith(prefix) for prefix in exempt):
            return response
        if settings.DEBUG and response.status_code >= 400:
            return response
        response[HEADER] = value
        return response
