"""The public site is served under a strict Content Security Policy; the admin is not."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from agora_site.middleware import ContentSecurityPolicyMiddleware


@pytest.fixture
def open_hearing(make_hearing, departments):
    return make_hearing(title="Åben høring", departments=[departments["kommune"]])


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
    settings.AGORA_CSP = ""

    assert "Content-Security-Policy" not in client.get("/hearings/").headers


def test_a_view_that_sets_its_own_policy_keeps_it(settings):
    def view(request):
        response = HttpResponse("embedded viewer")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/special/"))

    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_djangos_debug_error_pages_are_left_out_while_debugging(db, settings):
    settings.DEBUG = True
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(status=500))

    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/"))


def test_the_identity_providers_origin_can_receive_the_sign_in_redirect(settings):
    settings.AGORA_CSP_FORM_ACTION_EXTRA = ["https://login.os2faktor.dk"]
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("sign in"))

    policy = middleware(RequestFactory().get("/accounts/login/"))["Content-Security-Policy"]

    assert "form-action 'self' https://login.os2faktor.dk" in policy
    assert "script-src 'self';" in policy


def test_an_expired_form_gets_a_friendly_page_in_the_sites_layout(db):
    from django.test import Client
    from django.utils import translation

    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    with translation.override("da"):
        assert translation.gettext("The form has expired") in response.text
    assert 'class="skipnav"' in response.text


def test_the_configured_identity_providers_are_allowed_as_form_targets():
    from agora_site import identity

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
