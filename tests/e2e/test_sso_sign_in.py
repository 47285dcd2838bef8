"""An employee signs in through OS2faktor (AGORA_SSO_PROFILE=os2faktor) in a real
browser: the button on the Danish sign-in page, the provider's login and consent pages
(the real OIDC provider of tests/identity), and back on the portal signed in, with
claims as OS2faktor sends them by default (every claim a list). Without the required
e-mail, the person is back on the sign-in page with a message naming it."""

import json

import pytest

from tests.e2e.helpers import assert_accessible
from tests.identity.conftest import (  # noqa: F401 (the provider fixture)
    CLIENT_ID,
    CLIENT_SECRET,
    apply_identity_environment,
    oidc_provider,
)

EDITOR_ROLE = "http://kommune.dk/roles/jobrole/agora-redaktoer/1"


@pytest.fixture
def os2faktor(settings, request):
    provider = request.getfixturevalue("oidc_provider")
    apply_identity_environment(
        settings,
        {
            "AGORA_SSO_PROFILE": "os2faktor",
            "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT": provider.url,
            "SOCIAL_AUTH_OIDC_KEY": CLIENT_ID,
            "SOCIAL_AUTH_OIDC_SECRET": CLIENT_SECRET,
            "SOCIAL_AUTH_OIDC_GROUPS_MAP": json.dumps({EDITOR_ROLE: ["Hearing editors"]}),
            "AGORA_SSO_REQUIRED_CLAIMS": "email",
        },
    )
    # The browser checks form-action against the redirect to the provider, as in
    # production where the settings add the provider's origin at start.
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    policy["DIRECTIVES"]["form-action"].append(provider.url)
    settings.CONTENT_SECURITY_POLICY = policy
    return provider


def sign_in_at_the_provider(page, provider, login):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log ind med OS2faktor").click()
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("input[name=login]", state="detached")
    page.wait_for_load_state()
    if page.url.startswith(provider.url):  # the provider asks to allow Agora access once
        page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: not url.startswith(provider.url) and "/auth/" not in url)


def test_an_employee_signs_in_through_os2faktor_with_list_valued_claims(page, os2faktor):
    os2faktor.claims = {
        "preferred_username": ["jeha"],
        "email": ["jens.hansen@kommune.dk"],
        "given_name": ["Jens"],
        "family_name": ["Hansen"],
        "roles": [EDITOR_ROLE],
    }

    sign_in_at_the_provider(page, os2faktor, "jens-sub")

    assert page.url.endswith("/")
    assert "Jens Hansen" in page.locator("header .user").inner_text()
    assert page.get_by_role("button", name="Log ud").is_visible()


def test_without_the_required_email_the_sign_in_page_names_it(page, os2faktor):
    os2faktor.claims = {"preferred_username": ["jeha"], "email": [], "name": ["Jens Hansen"]}

    sign_in_at_the_provider(page, os2faktor, "jens-sub")

    assert "/accounts/login/" in page.url
    assert "(email)" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Log ind med OS2faktor").is_visible()
    assert_accessible(page)
