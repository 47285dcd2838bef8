"""An employee signs in through KOMBIT's Context Handler (AGORA_SSO_PROFILE=kombit-ch2) in
a real browser. The Context Handler is played by the in-process identity provider of
tests/identity (saml_idp.py), answering at its own origin through Playwright's routing:
a signed and encrypted assertion with an X509SubjectName NameID and a privilege list,
posted across sites to Agora's ACS as a real IdP's page does. The cross-site POST
carries no session cookie (SameSite=Lax), so this also drives social-core's same-site
re-post page through Agora's Content Security Policy."""

import base64
import json
from html import escape

import pytest

from hearings.models import MunicipalitySettings
from tests.identity.conftest import apply_identity_environment
from tests.identity.saml_idp import (
    EID,
    IdentityProvider,
    authn_request,
    pem_body,
    privilege_list,
    self_signed,
)

IDP_ORIGIN = "https://adgangsstyring.kombit.example"
CVR = "29189919"
EDITOR = "http://agora.kommune.dk/roles/usersystemrole/redaktoer/1"


@pytest.fixture
def kombit(settings, live_server, demo):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    MunicipalitySettings.objects.update_or_create(site=site, defaults={"cvr": CVR})
    sp_key, sp_cert = self_signed("agora.example.dk")
    entity_id = f"{live_server.url}/auth/saml/metadata/"
    provider = IdentityProvider(
        f"{IDP_ORIGIN}/saml", entity_id, f"{live_server.url}/auth/complete/saml/"
    )
    apply_identity_environment(
        settings,
        {
            "AGORA_SSO_PROFILE": "kombit-ch2",
            "SOCIAL_AUTH_SAML_SP_ENTITY_ID": entity_id,
            "SOCIAL_AUTH_SAML_SP_PUBLIC_CERT": pem_body(sp_cert),
            "SOCIAL_AUTH_SAML_SP_PRIVATE_KEY": pem_body(sp_key),
            "SOCIAL_AUTH_SAML_ENABLED_IDPS": json.dumps(
                {
                    "kombit": {
                        "entity_id": provider.entity_id,
                        "url": f"{IDP_ORIGIN}/runtime/saml2/issue.idp",
                        "x509cert": pem_body(provider.cert),
                        "groups_map": {EDITOR: ["Hearing editors"]},
                    }
                }
            ),
        },
    )
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    policy["DIRECTIVES"]["form-action"].append(IDP_ORIGIN)
    settings.CONTENT_SECURITY_POLICY = policy
    provider.sp_cert = sp_cert
    return provider


def answer_as_the_context_handler(page, provider, attributes, name_id):
    def answer(route):
        request, relay_state = authn_request(route.request.url)
        xml = provider.response(
            request.get("ID"),
            name_id=name_id,
            attributes=attributes,
            encrypt_for=provider.sp_cert,
        )
        saml_response = base64.b64encode(xml).decode()
        body = (
            '<!doctype html><html lang="da"><head><meta charset="utf-8">'
            "<title>KOMBIT</title></head><body>"
            f'<form method="post" action="{escape(provider.acs_url)}">'
            f'<input type="hidden" name="SAMLResponse" value="{saml_response}">'
            f'<input type="hidden" name="RelayState" value="{escape(relay_state)}">'
            "<button type=submit>Fortsæt</button></form></body></html>"
        )
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    page.route(f"{IDP_ORIGIN}/**", answer)


def test_an_employee_signs_in_through_kombit(page, kombit):
    answer_as_the_context_handler(
        page,
        kombit,
        {
            EID + "email": "jens.hansen@kommune.dk",
            EID + "professional/cvr": CVR,
            EID + "privilegesIntermediate": privilege_list(
                (f"urn:dk:gov:saml:cvrNumberIdentifier:{CVR}", [EDITOR])
            ),
        },
        f"C=DK,O={CVR},CN=Jens Peter Hansen,Serial=6a1b7c9e-3f0d-4d2a-9c5e-0b1f2a3c4d5e",
    )

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log ind med KOMBIT").click()
    page.get_by_role("button", name="Fortsæt").click()  # the Context Handler's page
    page.wait_for_url(lambda url: "/auth/" not in url and not url.startswith(IDP_ORIGIN))

    assert "/accounts/login/" not in page.url
    assert "Jens Peter Hansen" in page.locator("header .user").inner_text()
    assert page.get_by_role("button", name="Log ud").is_visible()


def test_an_employee_of_another_municipality_is_told_so(page, kombit):
    answer_as_the_context_handler(
        page,
        kombit,
        {EID + "professional/cvr": "11111111"},
        "C=DK,O=11111111,CN=Anne Andersen,Serial=1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
    )

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log ind med KOMBIT").click()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/accounts/login/")

    assert "CVR 11111111" in page.locator("main").inner_text()
    assert not page.get_by_role("button", name="Log ud").is_visible()
