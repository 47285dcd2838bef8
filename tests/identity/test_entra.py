"""An employee signs in through Microsoft Entra ID with the ``entra`` profile.

Entra is not reachable from the tests, so the token endpoint's answer and the
validated ID token are stood in for; the state check, the pipeline and the pages
are the real ones. Tenant members get an ``email`` claim only with the email scope
(or the optional claim), so the profile asks for it and refuses clearly without it.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from agora_site.identity_backends import AzureADV2TenantOAuth2
from tests.identity.conftest import apply_identity_environment

User = get_user_model()
TENANT = "5f2d9c1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"
BACKEND = "azuread-v2-tenant-oauth2"


@pytest.fixture
def entra(settings, db):
    apply_identity_environment(
        settings,
        {
            "AGORA_SSO_PROFILE": "entra",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_KEY": "agora-client-id",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SECRET": "agora-client-secret",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_TENANT_ID": TENANT,
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_GROUPS_MAP": json.dumps(
                {"Agora.Editor": ["Hearing editors"]}
            ),
        },
    )


def id_token(**overrides):
    """The claims of an Entra v2 ID token for a tenant member."""
    claims = {
        "aud": "agora-client-id",
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "tid": TENANT,
        "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        "oid": "00000000-0000-0000-66f3-3332eca7ea81",
        "name": "Jens Hansen",
        "given_name": "Jens",
        "family_name": "Hansen",
        "preferred_username": "jeha@kommune.onmicrosoft.com",
        "roles": ["Agora.Editor"],
    }
    claims.update(overrides)
    return claims


@pytest.fixture
def token_endpoint(monkeypatch):
    """Stand in for Entra's token endpoint and its ID token validation."""
    answer = {}

    def request_access_token(self, *args, **kwargs):
        return {"access_token": "access", "id_token": "a.b.c", "token_type": "Bearer"}

    def validate_and_return_id_token(self, token, *args, **kwargs):
        self.id_token = dict(answer)
        return dict(answer)

    monkeypatch.setattr(AzureADV2TenantOAuth2, "request_access_token", request_access_token)
    monkeypatch.setattr(
        AzureADV2TenantOAuth2, "validate_and_return_id_token", validate_and_return_id_token
    )
    return answer


def sign_in(client):
    response = client.post(f"/auth/login/{BACKEND}/", {"next": "/"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return client.get(
        f"/auth/complete/{BACKEND}/",
        {"code": "authorization-code", "state": query["state"][0]},
        follow=True,
    )


def test_the_profile_asks_entra_for_the_email_scope(client, entra):
    response = client.post(f"/auth/login/{BACKEND}/", {"next": "/"})

    location = urlsplit(response["Location"])
    assert location.netloc == "login.microsoftonline.com"
    scope = parse_qs(location.query)["scope"][0].split()
    assert {"openid", "profile", "email"} <= set(scope)


def test_a_token_without_email_is_refused_naming_the_claim(client, entra, token_endpoint):
    token_endpoint.update(id_token())

    response = sign_in(client)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "did not send the information the portal needs (email)" in response.content.decode()
    assert not User.objects.filter(social_auth__provider=BACKEND).exists()


def test_a_token_with_email_signs_in(client, entra, token_endpoint):
    token_endpoint.update(id_token(email="jens.hansen@kommune.dk"))

    response = sign_in(client)

    assert response.redirect_chain[-1][0] == "/"
    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.email == "jens.hansen@kommune.dk"  # the mailbox, not the sign-in name
    assert (user.first_name, user.last_name) == ("Jens", "Hansen")
    assert set(user.groups.values_list("name", flat=True)) == {"Hearing editors"}
