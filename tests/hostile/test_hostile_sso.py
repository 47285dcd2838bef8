"""Hostile and broken single sign-on answers: a correctly signed and encrypted KOMBIT
assertion whose attributes are malformed, oversized or crafted, and claims of the
wrong shape from OpenID Connect. Every case: no server error, and nobody signed in
with more than they were granted."""

import base64
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from social_django.utils import load_strategy

from agora_site.identity_backends import OpenIdConnectAuth
from agora_site.identity_claims import (
    lenient_b64decode,
    name_id_value,
    subject_name_parts,
    values_of,
)
from tests.identity.saml_idp import EID, ORG_UNIT, privilege_list
from tests.identity.test_saml_profiles import (  # noqa: F401 (fixtures)
    CVR,
    EDITOR,
    HOST,
    SCOPE,
    ch2_attributes,
    ch2_name_id,
    kombit_ch2,
    municipality,
    sign_in,
    sp_keys,
    team,
)

pytestmark = pytest.mark.django_db

PRIVILEGES = EID + "privilegesIntermediate"


def b64(text):
    return base64.b64encode(text.encode()).decode()


BILLION_LAUGHS = b64(
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    "<PrivilegeList><PrivilegeGroup Scope='x'><Privilege>&lol2;</Privilege>"
    "</PrivilegeGroup></PrivilegeList>"
)
EXTERNAL_ENTITY = b64(
    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f"<PrivilegeList><PrivilegeGroup Scope='{SCOPE}'><Privilege>&x;</Privilege>"
    "</PrivilegeGroup></PrivilegeList>"
)

MALFORMED_PRIVILEGES = [
    pytest.param("%%% not base64 %%%", id="not-base64"),
    pytest.param(b64("this is not XML"), id="not-xml"),
    pytest.param(BILLION_LAUGHS, id="entity-expansion"),
    pytest.param(EXTERNAL_ENTITY, id="external-entity"),
    pytest.param("A" * 600_000, id="oversized"),
]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # refused answers count towards the sign-in throttle
    yield
    cache.clear()


@pytest.fixture
def kombit(request):
    """The KOMBIT profile's IdP and the service provider's keys (test_saml_profiles)."""
    request.getfixturevalue("municipality")
    return request.getfixturevalue("kombit_ch2"), request.getfixturevalue("sp_keys")


@pytest.fixture
def unit_department(request):
    return request.getfixturevalue("team")


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = HOST  # python3-saml needs a host with a domain
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("privileges", MALFORMED_PRIVILEGES)
def test_a_malformed_privilege_list_is_refused_without_a_server_error(
    client, kombit, departments, privileges
):
    response = sign_in(
        client,
        *kombit,
        name_id=ch2_name_id(),
        attributes=ch2_attributes(privileges),
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated
    assert "root:" not in response.content.decode()


CRAFTED_GRANTS = [
    # A scope that only starts like the municipality's.
    pytest.param((f"{SCOPE}0", [EDITOR]), id="scope-prefix"),
    pytest.param((f" {SCOPE} x", [EDITOR]), id="scope-padding"),
    # A unit constraint that is no UUID, or a constraint Agora does not know: the
    # role must not become unlimited.
    pytest.param((SCOPE, [EDITOR], {ORG_UNIT: "not-a-uuid"}), id="unit-not-uuid"),
    pytest.param((SCOPE, [EDITOR], {ORG_UNIT: ""}), id="unit-empty"),
    pytest.param(
        (SCOPE, [EDITOR], {"http://sts.kombit.dk/constraints/kle/1": "00.01"}), id="other-limit"
    ),
]


@pytest.mark.parametrize("grant", CRAFTED_GRANTS)
def test_a_crafted_grant_gives_no_staff_group(client, kombit, unit_department, grant):
    response = sign_in(
        client,
        *kombit,
        name_id=ch2_name_id(),
        attributes=ch2_attributes(privilege_list(grant)),
    )

    assert response.status_code == 200
    user = response.wsgi_request.user
    assert not user.is_authenticated or not user.groups.exists()
    assert not user.is_staff and not user.is_superuser


HOSTILE_NAME_IDS = [
    pytest.param("", id="empty"),
    pytest.param("Serial=", id="empty-serial"),
    pytest.param("<script>alert(1)</script>", id="markup"),
    pytest.param("C=DK,O=29189919,CN=" + "x" * 5000 + ",Serial=" + "y" * 5000, id="huge"),
    pytest.param("C=DK,O=29189919,CN=Jens " + "x" * 5000 + ",Serial=abc", id="huge-name"),
]


@pytest.mark.parametrize("name_id", HOSTILE_NAME_IDS)
def test_a_hostile_nameid_is_refused_or_kept_as_text(client, kombit, departments, name_id):
    response = sign_in(
        client,
        *kombit,
        name_id=name_id,
        attributes=ch2_attributes(privilege_list((SCOPE, [EDITOR]))),
    )

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    user = response.wsgi_request.user
    if user.is_authenticated:  # only the one with a serial and a name too long to keep
        assert user.social_auth.get().uid == "kombit:abc"
        assert len(user.last_name) == 150


def test_several_cvr_values_count_by_the_first(client, kombit, departments):
    attributes = ch2_attributes(
        privilege_list((SCOPE, [EDITOR])), **{EID + "professional/cvr": ["11111111", CVR]}
    )

    response = sign_in(client, *kombit, name_id=ch2_name_id(), attributes=attributes)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert not response.wsgi_request.user.is_authenticated


# Claims of the wrong shape (OpenID Connect) -------------------------------------------


def oidc_backend(monkeypatch, **settings):
    backend = OpenIdConnectAuth(load_strategy())
    monkeypatch.setattr(backend, "setting", lambda name, default=None: settings.get(name, default))
    backend.id_token = {"sub": "s"}
    return backend


@pytest.mark.parametrize(
    "email",
    [{"value": "x@y.dk"}, [["nested@y.dk"]], True, None, [], [""], [{"a": 1}, "ok@y.dk"]],
)
def test_odd_claim_shapes_give_text_or_nothing(monkeypatch, email):
    backend = oidc_backend(monkeypatch)

    details = backend.get_user_details({"email": email, "preferred_username": ["jens", "x"]})

    assert details["email"] in (None, "ok@y.dk")
    assert details["username"] == "jens"


def test_a_groups_claim_of_mixed_shapes_keeps_only_strings(monkeypatch):
    backend = oidc_backend(monkeypatch, GROUPS_KEY="roles", GROUPS_MISSING_AS_EMPTY=False)
    backend.id_token["roles"] = ["a", {"b": 1}, "", 7, ["c"]]

    assert backend.get_user_groups({"sub": "s"}) == ["a", "7"]


@pytest.mark.parametrize(
    "value",
    ["", "Serial", "=,=,=", "CN=a\\,b,Serial=1", "C=DK,O=1,CN=A, B, C,Serial=u", "+" * 1000],
)
def test_subject_names_never_raise(value):
    parts = subject_name_parts(value)
    assert isinstance(parts, dict)
    assert name_id_value(value, "uuid") is None or uuid.UUID(name_id_value(value, "uuid"))


def test_a_comma_in_a_name_does_not_cut_the_subject_name():
    parts = subject_name_parts("C=DK,O=29189919,CN=Hansen, Jens,Serial=abc")
    assert parts == {"c": "DK", "o": "29189919", "cn": "Hansen, Jens", "serial": "abc"}


@pytest.mark.parametrize("value", [None, 7, "A" * 600_000, "%%%%"])
def test_lenient_base64_still_refuses_garbage(value):
    with pytest.raises(ValueError):
        lenient_b64decode(value)


def test_values_of_drops_what_is_not_text():
    assert values_of([None, True, {"x": 1}, [1], " a ", 2]) == ["a", "2"]
