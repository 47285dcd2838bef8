"""An employee signs in through OS2faktor's OpenID Connect, driven through the real
provider in the suite (oidc-provider on loopback), with claims as OS2faktor sends them:
every claim a JSON list unless its administrator ticked "send only one value"."""

import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from wagtail.models import Site

from hearings.models import Department, MunicipalitySettings
from tests.identity.conftest import CLIENT_ID, CLIENT_SECRET, apply_identity_environment

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

User = get_user_model()
EDITOR_ROLE = "http://kommune.dk/roles/jobrole/agora-redaktoer/1"
UNIT = uuid.UUID("7b0a6c2e-1d3f-4e5a-8b9c-0d1e2f3a4b5c")


@pytest.fixture
def unit(db):
    site = Site.objects.get(is_default_site=True)
    return Department.objects.create(site=site, name="Vej og Park", external_uuid=UNIT)


@pytest.fixture
def os2faktor(settings, oidc_provider):
    apply_identity_environment(
        settings,
        {
            "AGORA_SSO_PROFILE": "os2faktor",
            "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT": oidc_provider.url,
            "SOCIAL_AUTH_OIDC_KEY": CLIENT_ID,
            "SOCIAL_AUTH_OIDC_SECRET": CLIENT_SECRET,
            "SOCIAL_AUTH_OIDC_GROUPS_MAP": f'{{"{EDITOR_ROLE}": ["Hearing editors"]}}',
            "AGORA_SSO_DEPARTMENT_CLAIM": "orgunit",
            "AGORA_SSO_DEPARTMENT_MATCH": "external_uuid",
            "AGORA_SSO_REQUIRED_CLAIMS": "email",
        },
    )
    return oidc_provider


def listed(**overrides):
    """OS2faktor's default: every claim a list, even with one value."""
    claims = {
        "preferred_username": ["jeha"],
        "email": ["jens.hansen@kommune.dk"],
        "name": ["Jens Hansen"],
        "given_name": ["Jens"],
        "family_name": ["Hansen"],
        "roles": [EDITOR_ROLE, "http://kommune.dk/roles/jobrole/andet/1"],
        "orgunit": [str(UNIT)],
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def signed_in_user(browser):
    session = Session.objects.filter(session_key=browser.cookie("sessionid")).first()
    user_id = session.get_decoded().get("_auth_user_id") if session else None
    return User.objects.filter(pk=user_id).first() if user_id else None


def test_the_sign_in_button_says_os2faktor(os2faktor, client):
    assert "OS2faktor" in client.get("/accounts/login/").content.decode()


def test_a_first_sign_in_with_list_valued_claims_works(os2faktor, browser, unit):
    os2faktor.claims = listed()

    response, url = browser.sign_in_with_provider("jens-sub")

    assert response.status_code == 200
    assert urlsplit(url).path == "/"
    user = signed_in_user(browser)
    assert (user.username, user.email) == ("jeha", "jens.hansen@kommune.dk")
    assert (user.first_name, user.last_name) == ("Jens", "Hansen")
    assert user.employee_profile.department == unit
    assert set(user.groups.values_list("name", flat=True)) == {"Hearing editors"}


def test_single_values_work_too(os2faktor, browser, unit):
    os2faktor.claims = {
        name: value[0] if isinstance(value, list) else value for name, value in listed().items()
    }

    browser.sign_in_with_provider("jens-sub")

    user = signed_in_user(browser)
    assert user.email == "jens.hansen@kommune.dk"
    assert user.employee_profile.department == unit
    assert set(user.groups.values_list("name", flat=True)) == {"Hearing editors"}


def test_missing_optional_claims_do_not_block(os2faktor, browser, unit):
    os2faktor.claims = listed(roles=None, orgunit=None, given_name=None, family_name=None)

    response, url = browser.sign_in_with_provider("jens-sub")

    assert urlsplit(url).path == "/"
    user = signed_in_user(browser)
    assert user.email == "jens.hansen@kommune.dk"
    assert not user.groups.exists()


def test_an_empty_list_for_a_required_claim_is_a_clear_refusal(os2faktor, browser, unit):
    os2faktor.claims = listed(email=[])

    response, url = browser.sign_in_with_provider("jens-sub")

    assert response.status_code == 200
    assert urlsplit(url).path == "/accounts/login/"
    assert "did not send the information the portal needs (email)" in response.text
    assert signed_in_user(browser) is None


def test_with_a_cvr_claim_only_the_sites_municipality_is_admitted(
    settings, os2faktor, browser, unit
):
    site = Site.objects.get(is_default_site=True)
    MunicipalitySettings.objects.update_or_create(site=site, defaults={"cvr": "29189919"})
    settings.AGORA_SSO_CVR_CLAIM = "cvr"
    os2faktor.claims = listed(cvr=["11111111"])

    response, url = browser.sign_in_with_provider("jens-sub")

    assert urlsplit(url).path == "/accounts/login/"
    assert "another organisation (CVR 11111111)" in response.text
    assert signed_in_user(browser) is None

    os2faktor.claims = listed(cvr="29189919")
    response, url = browser.sign_in_with_provider("jens-sub")

    assert urlsplit(url).path == "/"
    assert signed_in_user(browser).email == "jens.hansen@kommune.dk"
