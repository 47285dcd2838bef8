"""A second factor (TOTP through django-otp) for local staff accounts.

With ``AGORA_REQUIRE_2FA_FOR_STAFF`` on, a local account with staff rights (admin
access) that signs in with its password is not signed in yet: the sign-in form keeps
the person "pending" in the session and sends them to a code page — or, the first
time, to a setup page with a QR code and the secret for an authenticator app. Only a
correct code signs them in (Django's and django-otp's login). Accounts signing in
through single sign-on are left to their identity provider's own second factor.

``SecondFactorMiddleware`` signs out a staff session made with a password but not
verified — one from before the setting was switched on, for instance.
"""

import time
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from agora_site import throttle

PENDING = "agora_second_factor_pending"
PENDING_SECONDS = 10 * 60
LOCAL_ACCOUNT_BACKEND = "django.contrib.auth.backends.ModelBackend"


def has_staff_rights(user):
    return user.is_active and (
        user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")
    )


def required_for(user, backend=LOCAL_ACCOUNT_BACKEND):
    """Must ``user``, signing in through ``backend``, give a second factor?"""
    return (
        settings.AGORA_REQUIRE_2FA_FOR_STAFF
        and backend == LOCAL_ACCOUNT_BACKEND
        and has_staff_rights(user)
    )


def begin(request, user, next_url):
    """The password was right: remember who is half signed in, nothing more."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": int(time.time()),
    }


def pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    user = auth.get_user_model()._default_manager.filter(pk=pending["user"]).first()
    if user is None or not user.is_active:
        return None
    user.backend = pending["backend"]
    return user


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-input"}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise ValidationError(_("Type the 6 digits your app shows."), "invalid")
        return token


def _finish(request, user, device):
    next_url = request.session.pop(PENDING)["next"]
    auth.login(request, user, backend=user.backend)  # cycles the session key
    otp_login(request, device)
    return redirect(next_url)


def _check(request, user, form, device):
    """Verify the code against ``device``, counting failures in the sign-in throttle."""
    key = (f"second-factor:{user.pk}", throttle.client_ip(request))
    message = throttle.refusal(*key)
    if message:
        form.add_error(None, ValidationError(message, "locked_out"))
        return False
    if not form.is_valid():
        return False
    if not device.verify_is_allowed()[0]:  # django-otp's own back-off after a wrong code
        form.add_error(
            "token", ValidationError(_("Wait a few seconds, then type a new code."), "wait")
        )
        return False
    if device.verify_token(form.cleaned_data["token"]):
        throttle.reset(*key)
        return True
    throttle.record_failure(*key)
    form.add_error("token", ValidationError(_("The code is wrong or too old."), "wrong"))
    return False


@never_cache
def verify(request):
    """Ask the pending person for the code from their app."""
    user = pending_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    device = confirmed_device(user)
    if device is None:
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(request, user, form, device):
        return _finish(request, user, device)
    status = 400 if form.errors else 200
    return render(request, "accounts/second_factor.html", {"form": form}, status=status)


@never_cache
def setup(request):
    """The first time: a new TOTP secret as QR code and text; the first code confirms it."""
    user = pending_user(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    if confirmed_device(user) is not None:
        return redirect("second_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(request, user, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _finish(request, user, device)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_code": qr.svg_data_uri(scale=5, border=4),
        "secret": " ".join(_groups(b32encode(device.bin_key).decode())),
        "account": user.get_username(),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/second_factor_setup.html", context, status=status)


def _groups(text, size=4):
    return [text[i : i + size] for i in range(0, len(text), size)]


urlpatterns = [
    path("", verify, name="second_factor"),
    path("setup/", setup, name="second_factor_setup"),
]


class SecondFactorMiddleware:
    """Sign out a password session of a staff account that gave no second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.AGORA_REQUIRE_2FA_FOR_STAFF
            and user is not None
            and user.is_authenticated
            and request.session.get(BACKEND_SESSION_KEY) == LOCAL_ACCOUNT_BACKEND
            and not user.is_verified()
            and has_staff_rights(user)
        ):
            auth.logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
