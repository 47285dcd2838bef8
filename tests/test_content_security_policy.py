"""The public site is served under a strict Content Security Policy; the admin is not."""

import os
import subprocess
import sys
from pathlib import Path

from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import translation

from agora_site import identity

ROOT = Path(__file__).resolve().parent.parent


def own_policy(request):
    response = HttpResponse("embedded viewer")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def broken(request):
    raise RuntimeError("a bug")


# Served instead of the site's URLs by the tests that need these two views.
urlpatterns = [path("special/", own_policy), path("broken/", broken)]


def directives(policy):
    """``"a x y; b z"`` as ``{"a": "x y", "b": "z"}``: the header's order is not fixed."""
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))


# Run in a fresh process, because the policy is built from the environment when the
# settings load. Only settings are needed, so the app registry is not loaded.
SIGN_IN_PAGE_POLICY = """
from django.http import HttpResponse
from django.test import RequestFactory
from agora_site.middleware import ContentSecurityPolicyMiddleware
middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("sign in"))
print(middleware(RequestFactory().get("/accounts/login/")).get("Content-Security-Policy"))
"""


def policy_with_environment(**variables):
    """The sign-in page's policy when Agora starts with these variables set."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", SIGN_IN_PAGE_POLICY],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "agora_site.settings.test", **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_public_pages_forbid_inline_scripts_and_framing(client, hearing_index):
    response = client.get("/hearings/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_sign_in_page_and_the_not_found_page_carry_the_policy_too(client, hearing_index):
    assert "Content-Security-Policy" in client.get("/accounts/login/").headers
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" in missing.headers


def test_wagtails_admin_is_left_out_because_it_uses_inline_scripts(client, make_user):
    client.force_login(make_user("root", is_superuser=True))
    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers


def test_an_operator_can_switch_the_policy_off(client, hearing_index, settings):
    settings.CONTENT_SECURITY_POLICY = None

    assert "Content-Security-Policy" not in client.get("/hearings/").headers


def test_an_empty_agora_csp_variable_switches_the_policy_off():
    assert policy_with_environment(AGORA_CSP="") == "None"


def test_an_operators_own_policy_replaces_the_default_and_still_admits_the_provider():
    policy = policy_with_environment(
        AGORA_CSP="default-src 'self'; img-src 'self' https://kort.kommune.dk; form-action 'self'",
        AGORA_CSP_FORM_ACTION_EXTRA="https://login.os2faktor.dk",
    )

    assert directives(policy) == {
        "default-src": "'self'",
        "img-src": "'self' https://kort.kommune.dk",
        "form-action": "'self' https://login.os2faktor.dk",
    }


def test_a_view_that_sets_its_own_policy_keeps_it(client, db, settings):
    settings.ROOT_URLCONF = __name__

    response = client.get("/special/")

    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_djangos_debug_error_pages_are_left_out_while_debugging(db, settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    broken = client.get("/broken/")
    missing = client.get("/no-such-page/")

    assert (broken.status_code, missing.status_code) == (500, 404)
    assert "Content-Security-Policy" not in broken.headers
    assert "Content-Security-Policy" not in missing.headers


def test_djangos_debug_page_for_an_unknown_host_is_left_out_too(db, settings):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["agora.example.dk"]

    response = Client().get("/accounts/login/", HTTP_HOST="elsewhere.example.com")

    assert response.status_code == 400
    assert "Content-Security-Policy" not in response.headers


def test_the_identity_providers_origin_can_receive_the_sign_in_redirect():
    policy = directives(
        policy_with_environment(
            SOCIAL_AUTH_OIDC_OIDC_ENDPOINT="https://idp.os2faktor.dk/realms/kommune",
            SOCIAL_AUTH_OIDC_KEY="agora",
            SOCIAL_AUTH_OIDC_SECRET="secret",
        )
    )

    assert policy["form-action"] == "'self' https://idp.os2faktor.dk"
    assert policy["script-src"] == "'self'"


def test_more_origins_can_receive_the_sign_in_redirect():
    policy = directives(
        policy_with_environment(AGORA_CSP_FORM_ACTION_EXTRA="https://login.os2faktor.dk")
    )

    assert policy["form-action"] == "'self' https://login.os2faktor.dk"
    assert policy["script-src"] == "'self'"


def test_an_expired_form_gets_a_friendly_page_in_the_sites_layout(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    with translation.override("da"):
        assert translation.gettext("The form has expired") in response.text
    assert 'class="skipnav"' in response.text


def test_the_configured_identity_providers_are_allowed_as_form_targets():
    config = identity.configure(
        {
            "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT": "https://idp.os2faktor.dk/realms/kommune",
            "SOCIAL_AUTH_OIDC_KEY": "agora",
            "SOCIAL_AUTH_OIDC_SECRET": "secret",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_KEY": "client",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SECRET": "secret",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_TENANT_ID": "tenant",
        }
    )
    assert config.form_action_origins == [
        "https://idp.os2faktor.dk",
        "https://login.microsoftonline.com",
    ]
    assert identity.configure({}).form_action_origins == []
