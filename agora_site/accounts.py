"""Sign-in and sign-out: the local form, single sign-on, and their shared throttle.

The views are thin: the throttle lives in ``throttle.py``, the identity
settings in ``identity.py`` and the claim handling in ``identity_pipeline.py``.
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from social_core.exceptions import (
    AuthCanceled,
    AuthConfigurationError,
    AuthInputError,
    AuthPolicyError,
    AuthProviderError,
    AuthResponseError,
    AuthSessionError,
    SocialAuthBaseException,
)
from social_django import urls as social_urls
from social_django import views as social_views
from social_django.middleware import SocialAuthExceptionMiddleware
from social_django.utils import load_backend, load_strategy
from wagtail.admin.views.account import PasswordResetView

from agora_site import second_factor, throttle
from agora_site.identity_pipeline import MissingClaim, UnknownDepartment, WrongMunicipality

logger = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    """Django's LoginView with the single sign-on buttons, the throttle and, for staff
    where configured, a second factor before the person is signed in."""

    template_name = "accounts/login.html"

    def get(self, request, *args, **kwargs):
        if refused_from_admin(request, self.get_redirect_url() or request.GET.get("next", "")):
            return no_admin_access(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_providers": sign_in_providers(),
            "local_signin": settings.AGORA_LOCAL_SIGNIN,
        }

    def post(self, request, *args, **kwargs):
        if not settings.AGORA_LOCAL_SIGNIN:
            raise PermissionDenied("Local sign-in is switched off.")
        self.throttle_key = (request.POST.get("username", ""), throttle.client_ip(request))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if throttle.is_locked_out(*self.throttle_key):
            # Even the right password is refused while locked out.
            return self.form_invalid(form)
        throttle.reset(*self.throttle_key)
        user = form.get_user()
        if second_factor.required_for(user, user.backend):
            second_factor.begin(self.request, user, self.get_success_url())
            return redirect("second_factor")
        return super().form_valid(form)

    def form_invalid(self, form):
        refusal = throttle.refusal(*self.throttle_key)
        if refusal:
            form.errors.clear()
            form.add_error(None, ValidationError(refusal, "locked_out"))
        else:
            throttle.record_failure(*self.throttle_key)
        return super().form_invalid(form)


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset (off with local sign-in), a few mails an hour at most."""

    def form_valid(self, form):
        email = form.cleaned_data.get("email", "")
        if throttle.password_reset_refused(email, throttle.client_ip(self.request)):
            form.add_error(
                None,
                _("Too many password reset requests. Wait an hour and try again."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


def refused_from_admin(request, next_url):
    """Did Wagtail send a signed-in person here because the admin is not for them?"""
    admin = reverse("wagtailadmin_home")
    return (
        request.user.is_authenticated
        and (next_url or "").startswith(admin)
        and not request.user.has_perm("wagtailadmin.access_admin")
    )


def no_admin_access(request):
    """Signed in, but without admin access: say so, rather than ask to sign in again."""
    return TemplateResponse(request, "accounts/no_admin_access.html", status=403)


def admin_sign_in(request):
    """``/admin/login/``: the portal's one sign-in page, keeping ``next``."""
    if refused_from_admin(request, request.GET.get("next", "")):
        return no_admin_access(request)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}{'?' + query if query else ''}")


def sign_in_providers():
    """The enabled providers as buttons: label, form action, hidden fields."""
    buttons = []
    for provider in settings.AGORA_SSO_PROVIDERS:
        action = reverse("social:begin", args=[provider["backend"]])
        hidden = {"idp": provider["idp"]} if "idp" in provider else {}
        buttons.append({"label": provider["label"], "action": action, "hidden": hidden})
    return buttons


class SignOutView(auth_views.LogoutView):
    """End the local session, then the provider's where it supports RP-initiated logout.

    Signing out takes a POST (a link or a prefetch must not sign anybody out); a GET,
    an address typed or bookmarked, shows the button that posts it (was an empty 405)."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/sign_out.html")

    def post(self, request, *args, **kwargs):
        provider_logout = end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response


def end_session_url(request):
    """The OpenID Connect end-session URL for the current sign-in, or None."""
    backend_name = request.session.get("social_auth_last_login_backend")
    if not backend_name or not request.user.is_authenticated:
        return None
    social = request.user.social_auth.filter(provider=backend_name).first()
    if social is None:
        return None
    try:
        backend = load_backend(load_strategy(request), backend_name, redirect_uri=None)
        discovery = getattr(backend, "oidc_config", None) or getattr(
            backend, "openid_configuration", None
        )
        endpoint = discovery().get("end_session_endpoint") if discovery else None
    except SocialAuthBaseException:  # provider down or no longer configured
        logger.warning("No provider sign-out for %s", backend_name, exc_info=True)
        return None
    if not endpoint:
        return None
    params = {
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
        "client_id": backend.get_key_and_secret()[0],
    }
    id_token = (social.extra_data or {}).get("id_token")
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def throttled(view):
    """Refuse single sign-on while the client is locked out of that provider."""

    @wraps(view)
    def wrapped(request, backend, *args, **kwargs):
        key = (f"sso:{backend}", throttle.client_ip(request))
        refusal = throttle.refusal(*key, braked=False)
        if refusal:
            messages.error(request, refusal)
            return redirect(settings.LOGIN_URL)
        return view(request, backend, *args, **kwargs)

    return wrapped


def saml_metadata(request):
    """This service provider's SAML metadata, for the identity provider's administrator."""
    strategy = load_strategy(request)
    backend = load_backend(
        strategy, "saml", redirect_uri=reverse("social:complete", args=["saml"])
    )
    metadata, errors = backend.generate_metadata_xml()
    if errors:
        return HttpResponse(", ".join(errors), status=500, content_type="text/plain")
    return HttpResponse(metadata, content_type="text/xml")


# social_django's URLs, with sign-in throttled and the SAML metadata beside them.
social_urlpatterns = [
    path("login/<str:backend>/", throttled(social_views.auth), name="begin"),
    path("complete/<str:backend>/", throttled(social_views.complete), name="complete"),
    path("saml/metadata/", saml_metadata, name="saml_metadata"),
    *[p for p in social_urls.urlpatterns if p.name not in {"begin", "complete"}],
]


class SignInErrorMiddleware(SocialAuthExceptionMiddleware):
    """Show a failed single sign-on as a translated message on the sign-in page.

    Failures that look like forgery or replay (bad state, bad signature, bad
    input) count towards the sign-in throttle; refusals by policy do not, so an
    office behind one address is not locked out by one colleague's account.
    """

    def raise_exception(self, request, exception):
        return False

    def process_exception(self, request, exception):
        backend = getattr(request, "backend", None)
        if (
            isinstance(exception, AuthSessionError | AuthResponseError | AuthInputError)
            and backend
        ):
            throttle.record_failure(f"sso:{backend.name}", throttle.client_ip(request))
        if isinstance(exception, AuthConfigurationError):
            logger.error("Single sign-on is misconfigured: %s", exception, exc_info=exception)
        return super().process_exception(request, exception)

    def get_message(self, request, exception):
        return str(sign_in_error_message(exception))


def sign_in_error_message(exception):
    if isinstance(exception, MissingClaim) or (
        isinstance(exception, AuthResponseError) and exception.code == "missing_claim"
    ):
        return _(
            "Your identity provider did not send the information the portal needs "
            "(%(claim)s). Contact your IT support."
        ) % {"claim": exception.claim}
    if isinstance(exception, UnknownDepartment):
        return _(
            "Your department (%(department)s) is not known to the portal. Contact your IT support."
        ) % {"department": exception.value}
    if isinstance(exception, WrongMunicipality):
        return _(
            "You signed in for another organisation (CVR %(cvr)s) than this municipality's "
            "portal. Sign in for the municipality, or contact your IT support."
        ) % {"cvr": exception.cvr}
    if isinstance(exception, AuthPolicyError):
        return _(
            "Your account may not sign in to the portal. Contact your IT support if you "
            "think this is wrong."
        )
    if isinstance(exception, AuthCanceled):
        return _("Sign-in was cancelled.")
    if isinstance(exception, AuthSessionError):
        return _("The sign-in could not be verified or took too long. Please try again.")
    if isinstance(exception, AuthProviderError):
        return _("The identity provider could not be reached. Try again later.")
    return _("Sign-in through your identity provider failed. Please try again.")
