"""AGORA_SSO_PROFILE puts a provider's defaults under social-auth's own settings,
which stay usable directly and win where set."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from agora_site import identity

SAML_KEYS = {"SOCIAL_AUTH_SAML_SP_PUBLIC_CERT": "cert", "SOCIAL_AUTH_SAML_SP_PRIVATE_KEY": "key"}


def configure(**environ):
    return identity.configure(environ, base_url="https://agora.kommune.dk").settings


def idps(**conf):
    return json.dumps(
        {"kombit": {"entity_id": "e", "url": "https://idp/", "x509cert": "c", **conf}}
    )


def test_an_unknown_profile_stops_the_server_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="kombit-ch2"):
        configure(AGORA_SSO_PROFILE="kombit")


def test_kombit_ch2_keys_on_the_nameid_serial_and_asks_for_encrypted_assertions():
    settings = configure(
        AGORA_SSO_PROFILE="kombit-ch2", SOCIAL_AUTH_SAML_ENABLED_IDPS=idps(), **SAML_KEYS
    )

    kombit = settings["SOCIAL_AUTH_SAML_ENABLED_IDPS"]["kombit"]
    assert kombit["attr_user_permanent_id"] == "name_id:serial"
    assert kombit["attr_full_name"] == "name_id:cn"
    assert kombit["attr_privileges"] == "https://data.gov.dk/model/core/eid/privilegesIntermediate"
    assert kombit["display_name"] == "KOMBIT"
    security = settings["SOCIAL_AUTH_SAML_SECURITY_CONFIG"]
    assert security["wantAssertionsEncrypted"] and security["wantAssertionsSigned"]
    assert settings["SOCIAL_AUTH_SAML_SP_EXTRA"]["NameIDFormat"].endswith("X509SubjectName")
    assert settings["AGORA_SSO_REQUIRED_CLAIMS"] == []


def test_settings_given_explicitly_win_over_the_profile():
    settings = configure(
        AGORA_SSO_PROFILE="kombit-ch2",
        SOCIAL_AUTH_SAML_ENABLED_IDPS=idps(attr_email="mail", display_name="Log ind"),
        SOCIAL_AUTH_SAML_SECURITY_CONFIG='{"wantAssertionsEncrypted": false}',
        AGORA_SSO_REQUIRED_CLAIMS="mail",
        **SAML_KEYS,
    )

    kombit = settings["SOCIAL_AUTH_SAML_ENABLED_IDPS"]["kombit"]
    assert (kombit["attr_email"], kombit["display_name"]) == ("mail", "Log ind")
    security = settings["SOCIAL_AUTH_SAML_SECURITY_CONFIG"]
    assert security["wantAssertionsEncrypted"] is False
    assert security["wantAssertionsSigned"] is True  # the rest of the profile stays
    assert settings["AGORA_SSO_REQUIRED_CLAIMS"] == ["mail"]


def test_an_idp_can_name_its_own_profile():
    settings = configure(
        SOCIAL_AUTH_SAML_ENABLED_IDPS=idps(profile="nemlogin"),
        **SAML_KEYS,
    )

    kombit = settings["SOCIAL_AUTH_SAML_ENABLED_IDPS"]["kombit"]
    assert kombit["attr_user_permanent_id"] == "name_id:uuid"
    assert kombit["name_id_format"].endswith("persistent")


def test_kombit_ch1_reads_oiosaml2_names_and_no_email():
    settings = configure(
        AGORA_SSO_PROFILE="kombit-ch1", SOCIAL_AUTH_SAML_ENABLED_IDPS=idps(), **SAML_KEYS
    )

    kombit = settings["SOCIAL_AUTH_SAML_ENABLED_IDPS"]["kombit"]
    assert kombit["attr_cvr"] == "dk:gov:saml:attribute:CvrNumberIdentifier"
    assert kombit["attr_privileges"] == "dk:gov:saml:attribute:Privileges_intermediate"
    assert kombit["attr_email"] is None


def test_entra_asks_for_the_email_scope_and_requires_the_claim():
    settings = configure(
        AGORA_SSO_PROFILE="entra",
        SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_KEY="client",
        SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SCOPE='["User.Read"]',
    )

    assert settings["SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SCOPE"] == ["email", "User.Read"]
    assert settings["AGORA_SSO_REQUIRED_CLAIMS"] == ["email"]
    assert settings["SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_GROUPS_KEY"] == "roles"
    assert settings["AGORA_SSO_PROVIDERS"][0]["label"] == "Microsoft Entra ID"


def test_os2faktor_labels_the_oidc_button_and_reads_roles():
    settings = configure(
        AGORA_SSO_PROFILE="os2faktor",
        SOCIAL_AUTH_OIDC_OIDC_ENDPOINT="https://os2faktor.example.dk",
    )

    assert settings["AGORA_SSO_PROVIDERS"] == [{"backend": "oidc", "label": "OS2faktor"}]
    assert settings["SOCIAL_AUTH_OIDC_GROUPS_KEY"] == "roles"
    assert settings["SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY"] is True


def test_without_a_profile_social_auth_settings_are_used_as_given():
    settings = configure(SOCIAL_AUTH_SAML_ENABLED_IDPS=idps(attr_email="mail"), **SAML_KEYS)

    kombit = settings["SOCIAL_AUTH_SAML_ENABLED_IDPS"]["kombit"]
    assert kombit == {
        "entity_id": "e",
        "url": "https://idp/",
        "x509cert": "c",
        "attr_email": "mail",
    }
    assert "SOCIAL_AUTH_SAML_SECURITY_CONFIG" not in settings
