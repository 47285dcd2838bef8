"""An employee signs in through a generic SAML identity provider (ADFS/LDAP-style
attribute names such as ``uid``, ``mail``, ``ou``), configured with social-auth's own
settings and no profile.

The identity provider's answer is built and signed in the test with
python3-saml/xmlsec and a self-signed key generated here. What KOMBIT's Context
Handler and NemLog-in really send is in test_saml_profiles.py.
"""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from tests.identity.conftest import apply_identity_environment
from tests.identity.saml_idp import (
    OIO_BPP_11,
    authn_request,
    pem_body,
    privilege_list,
    self_signed,
)

User = get_user_model()
IDP_ENTITY_ID = "https://idp.example.dk/saml"
HOST = "agora.example.dk"
ACS_URL = f"http://{HOST}/auth/complete/saml/"
SP_ENTITY_ID = f"http://{HOST}/auth/saml/metadata/"


@pytest.fixture
def client(client):
    # python3-saml refuses URLs on a host without a domain, such as "testserver".
    client.defaults["HTTP_HOST"] = HOST
    return client


@pytest.fixture(scope="module")
def idp_key():
    return self_signed("idp.example.dk")


@pytest.fixture
def saml_enabled(settings, idp_key, departments):
    sp_key, sp_cert = self_signed("agora.example.dk")
    apply_identity_environment(
        settings,
        {
            "SOCIAL_AUTH_SAML_SP_ENTITY_ID": SP_ENTITY_ID,
            "SOCIAL_AUTH_SAML_SP_PUBLIC_CERT": pem_body(sp_cert),
            "SOCIAL_AUTH_SAML_SP_PRIVATE_KEY": pem_body(sp_key),
            "SOCIAL_AUTH_SAML_ENABLED_IDPS": json.dumps(
                {
                    "kombit": {
                        "display_name": "KOMBIT",
                        "entity_id": IDP_ENTITY_ID,
                        "url": "https://idp.example.dk/sso",
                        "x509cert": pem_body(idp_key[1]),
                        "attr_user_permanent_id": "uuid",
                        "attr_username": "uid",
                        "attr_email": "mail",
                        "attr_first_name": "givenName",
                        "attr_last_name": "sn",
                        "attr_groups": "roles",
                        "groups_missing_as_empty": True,
                        "groups_map": {"agora-editor": ["Hearing editors"]},
                    }
                }
            ),
            "AGORA_SSO_DEPARTMENT_CLAIM": "ou",
            "AGORA_SSO_REQUIRED_CLAIMS": "mail",
        },
    )


def begin_sign_in(client):
    """Press the KOMBIT button; return the AuthnRequest's ID and the RelayState."""
    response = client.post("/auth/login/saml/", {"idp": "kombit", "next": "/"})
    assert response.status_code == 302
    request, relay_state = authn_request(response["Location"])
    return request.get("ID"), relay_state


def signed_response(request_id, idp_key, attributes):
    now = datetime.now(UTC)

    def instant(moment):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    values = "".join(
        f'<saml:Attribute Name="{name}">'
        + "".join(f"<saml:AttributeValue>{value}</saml:AttributeValue>" for value in values)
        + "</saml:Attribute>"
        for name, values in attributes.items()
    )
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp{request_id[1:]}" Version="2.0"
 IssueInstant="{instant(now)}" Destination="{ACS_URL}" InResponseTo="{request_id}">
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="_assert{request_id[1:]}" Version="2.0" IssueInstant="{instant(now)}">
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">jens</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData InResponseTo="{request_id}"
 NotOnOrAfter="{instant(now + timedelta(minutes=5))}" Recipient="{ACS_URL}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{instant(now - timedelta(minutes=1))}"
 NotOnOrAfter="{instant(now + timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{SP_ENTITY_ID}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{instant(now)}" SessionIndex="_session1">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>{values}</saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>"""
    key_pem, cert_pem = idp_key
    return OneLogin_Saml2_Utils.add_sign(xml, key_pem, cert_pem)


JENS = {
    "uuid": ["9f0e-jens"],
    "uid": ["jens"],
    "mail": ["jens@kommune.dk"],
    "givenName": ["Jens"],
    "sn": ["Hansen"],
    "ou": ["team"],
    "roles": ["agora-editor", "unrelated"],
}


def complete(client, relay_state, xml):
    return client.post(
        "/auth/complete/saml/",
        {
            "SAMLResponse": base64.b64encode(xml).decode(),
            "RelayState": relay_state,
            "psa_saml_browser_return": "1",
        },
        follow=True,
    )


def test_the_sign_in_page_shows_the_saml_provider(client, saml_enabled):
    response = client.get("/accounts/login/")

    assert b'action="/auth/login/saml/"' in response.content
    assert b'name="idp" value="kombit"' in response.content
    assert "KOMBIT" in response.content.decode()


def test_a_signed_saml_response_signs_the_employee_in(client, saml_enabled, idp_key, departments):
    request_id, relay_state = begin_sign_in(client)
    client.handler.enforce_csrf_checks = True  # the IdP's POST carries no CSRF token

    response = complete(client, relay_state, signed_response(request_id, idp_key, JENS))

    assert response.redirect_chain[-1][0] == "/"
    user = response.wsgi_request.user
    assert user.is_authenticated
    assert (user.username, user.email, user.last_name) == ("jens", "jens@kommune.dk", "Hansen")
    assert user.social_auth.get().uid == "kombit:9f0e-jens"
    assert user.employee_profile.department == departments["team"]
    assert set(user.groups.values_list("name", flat=True)) == {"Hearing editors"}
    assert not user.is_superuser and not user.is_staff


def test_a_tampered_saml_response_is_refused(client, saml_enabled, idp_key):
    request_id, relay_state = begin_sign_in(client)
    xml = signed_response(request_id, idp_key, JENS)
    tampered = xml.replace(b"jens@kommune.dk", b"boss@kommune.dk")
    assert tampered != xml

    response = complete(client, relay_state, tampered)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated
    assert "Sign-in through your identity provider failed" in response.content.decode()
    assert not User.objects.filter(email__endswith="@kommune.dk").exists()


def test_a_saml_response_without_the_required_attribute_is_refused(client, saml_enabled, idp_key):
    request_id, relay_state = begin_sign_in(client)
    attributes = {name: values for name, values in JENS.items() if name != "mail"}

    response = complete(client, relay_state, signed_response(request_id, idp_key, attributes))

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated
    assert "did not send the information the portal needs (mail)" in response.content.decode()


def test_the_service_provider_metadata_is_published(client, saml_enabled):
    response = client.get("/auth/saml/metadata/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    metadata = response.content.decode()
    assert f'entityID="{SP_ENTITY_ID}"' in metadata
    assert ACS_URL in metadata


CVR_SCOPE = "urn:dk:gov:saml:cvrNumberIdentifier:29189919"


def test_kombit_privileges_in_the_municipality_scope_map_to_groups(
    client, saml_enabled, settings, idp_key
):
    editor_role = "http://kombit.dk/roles/usersystemrole/agora/editor/1"
    approver_role = "http://kombit.dk/roles/usersystemrole/agora/approver/1"
    kombit = settings.SOCIAL_AUTH_SAML_ENABLED_IDPS["kombit"]
    del kombit["attr_groups"]
    kombit.update(
        attr_privileges="dk:gov:saml:attribute:Privileges_intermediate",
        privileges_scope=CVR_SCOPE,
        groups_map={editor_role: ["Hearing editors"], approver_role: ["Hearing approvers"]},
    )
    privileges = privilege_list(
        (CVR_SCOPE, [editor_role]),
        ("urn:dk:gov:saml:cvrNumberIdentifier:11111111", [approver_role]),
        namespace=OIO_BPP_11,
        wrap=False,
    )
    attributes = {**JENS, "dk:gov:saml:attribute:Privileges_intermediate": [privileges]}
    request_id, relay_state = begin_sign_in(client)

    response = complete(client, relay_state, signed_response(request_id, idp_key, attributes))

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert set(user.groups.values_list("name", flat=True)) == {"Hearing editors"}
