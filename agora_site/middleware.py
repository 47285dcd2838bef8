"""The portal's own middleware: the Content Security Policy, the Permissions-Policy, the
language, the demo's 404.

The strict Content Security Policy of the public site is sent by django-csp.

The policy is data in the settings (``CONTENT_SECURITY_POLICY``, built in
``settings/base.py``); django-csp leaves out the paths listed there (Wagtail's
admin), an empty setting and any response that already has a policy. This module
only widens its rule for Django's debug pages and lets Wagtail's preview panel frame
a page.
"""

import functools

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import page_not_found

ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"


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


class PortalLanguageMiddleware:
    """Danish unless the person chose otherwise: the browser's language is ignored.

    Replaces Django's ``LocaleMiddleware``, which follows ``Accept-Language``: a Danish
    employee with an English browser would get English chrome around Danish hearings.
    On the public site the language is the one chosen with the footer's language form
    (Django's ``set_language`` view stores it in the language cookie); otherwise
    ``LANGUAGE_CODE``. In Wagtail's admin the cookie is not read either: Wagtail's
    views switch to the user's own preference (account settings), and without one
    they use the language activated here, ``LANGUAGE_CODE``. The APIs (``/api/``)
    answer programs, which say what they want in ``Accept-Language`` (docs/api.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with translation.override(self.language_for(request)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def language_for(request):
        if request.path_info.startswith(ADMIN_PREFIX):
            return settings.LANGUAGE_CODE
        if request.path_info.startswith(API_PREFIX):
            return translation.get_language_from_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES) and translation.check_for_language(chosen):
            return chosen
        return settings.LANGUAGE_CODE


class PortalNotFoundMiddleware:
    """With ``DEBUG`` on (the demo), a missing page shows the portal's own 404 page.

    Django answers a ``Http404`` with its technical page whenever ``DEBUG`` is on, which
    is what a developer wants but not what a person trying the demo should see. Added
    in ``settings/dev.py`` only; ``AGORA_TECHNICAL_404=true`` brings Django's page back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


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


class SiteMiddleware:
    """For a page Wagtail serves, find the request's site (and its home page) from
    memory when this process found them moments ago (``hearings.sites.find_site``).
    Other views (the admin, the APIs, files) are left as they were."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from hearings import sites

        if request.resolver_match.url_name == "wagtail_serve":
            sites.find_site(request)


class AccessSessionMiddleware:
    """Give the signed-in person the staff flag and department kept in their session
    (``hearings.access.remember_in_session``): a page they read asks the database for
    neither. ``request.agora_audience()`` gives the page tree's router what
    ``find_live_hearing`` needs to ask, with the page, whether the hearing invites them
    (``hearings.access.audience_of``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from hearings import access

        access.remember_in_session(request)
        request.agora_audience = functools.partial(access.audience_of, request.user)
        return self.get_response(request)
