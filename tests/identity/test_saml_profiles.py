"""Employees sign in through KOMBIT's Context Handler (1 and 2) and NemLog-in, with
assertions shaped like theirs: X509SubjectName or persistent NameID, OIOSAML attribute
names, OIO-BPP 1.1 and 1.2 privilege lists in line-wrapped base64 with organisation-unit
constraints, signed and encrypted (AES-256-GCM, RSA-OAEP) — and the profile
(AGORA_SSO_PROFILE) is all the configuration besides keys and the IdP's address.
"""

import base64
import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from hearings.models import Department, MunicipalitySettings
from tests.identity.conftest import apply_identity_environment
from tests.identity.saml_idp import (
    EID,
    OIO_BPP_11,
    OIO_BPP_12,
    ORG_UNIT,
    PERSISTENT,
    IdentityProvider,
    authn_request,
    pem_body,
    privilege_list,
    self_signed,
)

User = get_user_model()
HOST = "agora.example.dk"
CVR = "29189919"
OTHER_CVR = "11111111"
SCOPE = f"urn:dk:gov:saml:cvrNumberIdentifier:{CVR}"
EDITOR = "http://agora.kommune.dk/roles/usersystemrole/redaktoer/1"
APPROVER = "http://agora.kommune.dk/roles/usersystemrole/godkender/1"
JENS_UUID = "6a1b7c9e-3f0d-4d2a-9c5e-0b1f2a3c4d5e"
TEAM_UNIT = uuid.UUID("0e1d2c3b-4a59-4867-9786-a5b4c3d2e1f0")


def urls(host):
    return f"http://{host}/auth/saml/metadata/", f"http://{host}/auth/complete/saml/"


@pytest.fixture(scope="module")
def sp_keys():
    return self_signed(HOST)


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = HOST  # python3-saml needs a host with a domain
    return client


@pytest.fixture
def municipality(site):
    settings = MunicipalitySettings.for_site(site)
    settings.cvr = CVR
    settings.save()
    return settings


@pytest.fixture
def team(departments):
    departments["team"].external_uuid = TEAM_UNIT
    departments["team"].save()
    return departments["team"]


def configure(settings, sp_keys, profile, host=HOST, **idp):
    entity_id, acs_url = urls(host)
    provider = IdentityProvider("https://saml.adgangsstyring.example.dk", entity_id, acs_url)
    apply_identity_environment(
        settings,
        {
            "AGORA_SSO_PROFILE": profile,
            "SOCIAL_AUTH_SAML_SP_PUBLIC_CERT": pem_body(sp_keys[1]),
            "SOCIAL_AUTH_SAML_SP_PRIVATE_KEY": pem_body(sp_keys[0]),
            "SOCIAL_AUTH_SAML_ENABLED_IDPS": json.dumps(
                {
                    "kombit": {
                        "entity_id": provider.entity_id,
                        "url": "https://saml.adgangsstyring.example.dk/runtime/saml2/issue.idp",
                        "x509cert": pem_body(provider.cert),
                        "groups_map": {
                            EDITOR: ["Hearing editors"],
                            APPROVER: ["Hearing approvers"],
                        },
                        **idp,
                    }
                }
            ),
        },
    )
    # The metadata's entity id follows the host signed in to (see urls()).
    settings.SOCIAL_AUTH_SAML_SP_ENTITY_ID = entity_id
    return provider


@pytest.fixture
def kombit_ch2(settings, sp_keys, municipality, departments):
    return configure(settings, sp_keys, "kombit-ch2")


def ch2_attributes(privileges, **overrides):
    """What Context Handler 2 sends a user system: no first or last name."""
    attributes = {
        "https://data.gov.dk/model/core/specVersion": "OIO-SAML-3.0",
        "https://data.gov.dk/concept/core/nsis/loa": "Substantial",
        EID + "email": "jens.hansen@kommune.dk",
        EID + "professional/cvr": CVR,
        EID + "professional/orgName": "Eksempel Kommune",
        EID + "privilegesIntermediate": privileges,
    }
    attributes.update(overrides)
    return {name: value for name, value in attributes.items() if value is not None}


def ch2_name_id(name="Jens Peter Hansen", serial=JENS_UUID, cvr=CVR):
    return f"C=DK,O={cvr},CN={name},Serial={serial}"


def sign_in(client, provider, sp_keys, *, name_id, attributes, name_id_format=None, **kw):
    response = client.post("/auth/login/saml/", {"idp": "kombit", "next": "/"})
    assert response.status_code == 302
    request, relay_state = authn_request(response["Location"])
    extra = {"name_id_format": name_id_format} if name_id_format else {}
    xml = provider.response(
        request.get("ID"),
        name_id=name_id,
        attributes=attributes,
        encrypt_for=sp_keys[1],
        **extra,
    )
    # The name is not in clear text ("Jens" alone can occur by chance in the base64 of
    # the cipher text, which has no spaces: 1 run in a few thousand failed on it).
    assert b"EncryptedAssertion" in xml and b"Jens Peter" not in xml
    return client.post(
        "/auth/complete/saml/",
        {
            "SAMLResponse": base64.b64encode(xml).decode(),
            "RelayState": relay_state,
            "psa_saml_browser_return": "1",
        },
        follow=True,
        **kw,
    )


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_kombit_ch2_signs_in_with_an_encrypted_signed_assertion(
    client, kombit_ch2, sp_keys, departments
):
    privileges = privilege_list(
        (SCOPE, [EDITOR]), (f"urn:dk:gov:saml:cvrNumberIdentifier:{OTHER_CVR}", [APPROVER])
    )
    assert "\n" in privileges  # line-wrapped, as KOMBIT's encoder sends it

    response = sign_in(
        client, kombit_ch2, sp_keys, name_id=ch2_name_id(), attributes=ch2_attributes(privileges)
    )

    assert response.redirect_chain[-1][0] == "/"
    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.social_auth.get().uid == f"kombit:{JENS_UUID}"
    assert (user.first_name, user.last_name) == ("Jens Peter", "Hansen")
    assert user.email == "jens.hansen@kommune.dk"
    # The approver role was granted by another municipality: it does not count here.
    assert groups(user) == {"Hearing editors"}
    assert not user.is_staff and not user.is_superuser


def test_a_name_change_keeps_the_same_user_keyed_on_the_serial(
    client, kombit_ch2, sp_keys, departments
):
    attributes = ch2_attributes(privilege_list((SCOPE, [EDITOR])))
    sign_in(client, kombit_ch2, sp_keys, name_id=ch2_name_id(), attributes=attributes)
    client.logout()

    response = sign_in(
        client,
        kombit_ch2,
        sp_keys,
        name_id=ch2_name_id(name="Jens Peter Holm"),
        attributes=attributes,
    )

    user = response.wsgi_request.user
    assert User.objects.filter(social_auth__provider="saml").count() == 1
    assert user.last_name == "Holm"


def test_a_missing_optional_attribute_does_not_block_sign_in(
    client, kombit_ch2, sp_keys, departments
):
    attributes = ch2_attributes(privilege_list((SCOPE, [EDITOR])), **{EID + "email": None})

    response = sign_in(client, kombit_ch2, sp_keys, name_id=ch2_name_id(), attributes=attributes)

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.email == ""


def test_a_role_limited_to_an_organisation_unit_holds_only_in_that_department(
    client, kombit_ch2, sp_keys, team
):
    privileges = privilege_list(
        (SCOPE, [EDITOR, APPROVER], {ORG_UNIT: str(TEAM_UNIT)}),
    )

    response = sign_in(
        client, kombit_ch2, sp_keys, name_id=ch2_name_id(), attributes=ch2_attributes(privileges)
    )

    user = response.wsgi_request.user
    assert user.is_authenticated
    # Not a site-wide staff group: the role places the employee in the team.
    assert groups(user) == set()
    assert user.employee_profile.department == team


def test_a_role_limited_to_a_unit_that_is_no_department_here_counts_for_nothing(
    client, kombit_ch2, sp_keys, team
):
    privileges = privilege_list((SCOPE, [EDITOR], {ORG_UNIT: str(uuid.uuid4())}))

    response = sign_in(
        client, kombit_ch2, sp_keys, name_id=ch2_name_id(), attributes=ch2_attributes(privileges)
    )

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert groups(user) == set()
    assert not hasattr(user, "employee_profile") or user.employee_profile.department is None


def test_an_employee_of_another_organisation_is_refused(client, kombit_ch2, sp_keys):
    attributes = ch2_attributes(
        privilege_list((f"urn:dk:gov:saml:cvrNumberIdentifier:{OTHER_CVR}", [EDITOR])),
        **{EID + "professional/cvr": OTHER_CVR},
    )

    response = sign_in(
        client, kombit_ch2, sp_keys, name_id=ch2_name_id(cvr=OTHER_CVR), attributes=attributes
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "another organisation (CVR 11111111)" in response.content.decode()
    assert not User.objects.filter(social_auth__provider="saml").exists()


def test_a_site_without_a_cvr_number_admits_nobody_through_kombit(
    client, kombit_ch2, sp_keys, municipality
):
    municipality.cvr = ""
    municipality.save()

    response = sign_in(
        client,
        kombit_ch2,
        sp_keys,
        name_id=ch2_name_id(),
        attributes=ch2_attributes(privilege_list((SCOPE, [EDITOR]))),
    )

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated


def test_a_nameid_without_a_serial_is_refused_naming_it(client, kombit_ch2, sp_keys):
    response = sign_in(
        client,
        kombit_ch2,
        sp_keys,
        name_id=f"C=DK,O={CVR},CN=Jens Hansen",
        attributes=ch2_attributes(privilege_list((SCOPE, [EDITOR]))),
    )

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "needs (NameID (serial))" in response.content.decode()
    assert not User.objects.filter(social_auth__provider="saml").exists()


def test_each_municipality_of_an_installation_admits_its_own(
    client, settings, sp_keys, municipality, departments
):
    nabo_host = "nabo.example.dk"
    nabo = Site.objects.create(
        hostname=nabo_host, port=80, root_page=municipality.site.root_page, site_name="Nabo"
    )
    nabo_cvr = "22222222"
    MunicipalitySettings.objects.create(site=nabo, cvr=nabo_cvr)
    provider = configure(settings, sp_keys, "kombit-ch2", host=nabo_host)
    client.defaults["HTTP_HOST"] = nabo_host
    privileges = privilege_list(
        (SCOPE, [APPROVER]), (f"urn:dk:gov:saml:cvrNumberIdentifier:{nabo_cvr}", [EDITOR])
    )
    attributes = ch2_attributes(privileges, **{EID + "professional/cvr": nabo_cvr})

    response = sign_in(
        client, provider, sp_keys, name_id=ch2_name_id(cvr=nabo_cvr), attributes=attributes
    )

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert groups(user) == {"Hearing editors"}  # Nabo's grant, not the other municipality's


def test_kombit_ch1_signs_in_with_oiosaml2_names_and_oio_bpp_1_1(
    client, settings, sp_keys, municipality, departments
):
    provider = configure(settings, sp_keys, "kombit-ch1")
    attributes = {
        "dk:gov:saml:attribute:SpecVer": "DK-SAML-2.0",
        "dk:gov:saml:attribute:KombitSpecVer": "1.0",
        "dk:gov:saml:attribute:AssuranceLevel": "3",
        "dk:gov:saml:attribute:CvrNumberIdentifier": CVR,
        "dk:gov:saml:attribute:Privileges_intermediate": privilege_list(
            (SCOPE, [EDITOR, APPROVER]), namespace=OIO_BPP_11
        ),
    }

    response = sign_in(
        client,
        provider,
        sp_keys,
        name_id=ch2_name_id(serial="CVR:29189919-RID:1234"),
        attributes=attributes,
    )

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.social_auth.get().uid == "kombit:CVR:29189919-RID:1234"
    assert (user.first_name, user.last_name, user.email) == ("Jens Peter", "Hansen", "")
    assert groups(user) == {"Hearing editors", "Hearing approvers"}


def test_nemlogin_signs_in_with_its_persistent_nameid(
    client, settings, sp_keys, municipality, departments
):
    provider = configure(settings, sp_keys, "nemlogin", groups_map={})
    attributes = {
        "https://data.gov.dk/model/core/specVersion": "OIO-SAML-3.0",
        EID + "firstName": "Jens",
        EID + "lastName": "Hansen",
        EID + "fullName": "Jens Hansen",
        EID + "email": "jens@kommune.dk",
        EID + "professional/cvr": CVR,
    }

    response = sign_in(
        client,
        provider,
        sp_keys,
        name_id=f"https://data.gov.dk/model/core/eid/professional/uuid/{JENS_UUID}",
        name_id_format=PERSISTENT,
        attributes=attributes,
    )

    user = response.wsgi_request.user
    assert user.is_authenticated
    assert user.social_auth.get().uid == f"kombit:{JENS_UUID}"
    assert (user.first_name, user.last_name, user.email) == ("Jens", "Hansen", "jens@kommune.dk")


def test_the_metadata_is_what_a_context_handler_accepts(client, kombit_ch2):
    response = client.get("/auth/saml/metadata/")

    assert response.status_code == 200
    metadata = response.content.decode()
    assert 'use="signing"' in metadata and 'use="encryption"' in metadata
    assert "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName" in metadata
    assert 'AuthnRequestsSigned="true"' in metadata
    assert 'WantAssertionsSigned="true"' in metadata


def test_the_authn_request_asks_for_an_x509_subject_name(client, kombit_ch2):
    response = client.post("/auth/login/saml/", {"idp": "kombit", "next": "/"})

    request, _ = authn_request(response["Location"])
    policy = request.find("{urn:oasis:names:tc:SAML:2.0:protocol}NameIDPolicy")
    assert policy.get("Format") == "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
    assert "Signature=" in response["Location"]


def test_an_unencrypted_assertion_is_refused_when_encryption_is_expected(
    client, kombit_ch2, sp_keys
):
    response = client.post("/auth/login/saml/", {"idp": "kombit", "next": "/"})
    request, relay_state = authn_request(response["Location"])
    xml = kombit_ch2.response(
        request.get("ID"),
        name_id=ch2_name_id(),
        attributes=ch2_attributes(privilege_list((SCOPE, [EDITOR]))),
    )

    response = client.post(
        "/auth/complete/saml/",
        {
            "SAMLResponse": base64.b64encode(xml).decode(),
            "RelayState": relay_state,
            "psa_saml_browser_return": "1",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("namespace", [OIO_BPP_11, OIO_BPP_12])
def test_both_oio_bpp_namespaces_and_unwrapped_base64_are_read(namespace):
    from agora_site.identity_claims import parse_privileges

    for wrap in (True, False):
        value = privilege_list(
            (SCOPE, [EDITOR], {ORG_UNIT: str(TEAM_UNIT)}), namespace=namespace, wrap=wrap
        )
        (privilege,) = parse_privileges(None, "privileges", [value])
        assert (privilege.role, privilege.cvr, privilege.org_units) == (EDITOR, CVR, [TEAM_UNIT])


def test_department_external_uuid_is_optional(departments):
    assert Department.objects.filter(external_uuid__isnull=True).count() == len(departments)
