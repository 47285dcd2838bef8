"""An employee signs in through a real OpenID Connect provider (oidc-provider on loopback)."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.models import Site

from hearings.models import Department
from tests.identity.conftest import Browser, apply_identity_environment, form_fields

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

User = get_user_model()


@pytest.fixture
def team(db):
    site = Site.objects.get(is_default_site=True)
    kommune = Department.objects.create(site=site, name="Kommune", code="ou-1")
    return {
        "team": Department.objects.create(site=site, name="Team", code="ou-7", parent=kommune),
        "other": Department.objects.create(site=site, name="Other", code="ou-9", parent=kommune),
    }


def claims(**overrides):
    base = {
        "preferred_username": "jens",
        "email": "jens@kommune.dk",
        "given_name": "Jens",
        "family_name": "Hansen",
        "department": "ou-7",
        "groups": ["agora-editors", "agora-approvers", "some-unmapped-group"],
    }
    return {**base, **overrides}


def session_user_id(session_key):
    session = Session.objects.filter(session_key=session_key).first()
    return session.get_decoded().get("_auth_user_id") if session else None


def signed_in_user(browser):
    return User.objects.get(pk=session_user_id(browser.cookie("sessionid")))


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_an_employee_signs_in_and_lands_with_department_and_groups(
    oidc_enabled, oidc_provider, browser, team, settings
):
    oidc_provider.claims = claims()

    response, url = browser.sign_in_with_provider("jens-sub")

    assert response.status_code == 200
    assert urlsplit(url).path == "/"
    user = signed_in_user(browser)
    assert user.social_auth.get().uid == "jens-sub"
    assert (user.username, user.email) == ("jens", "jens@kommune.dk")
    assert (user.first_name, user.last_name) == ("Jens", "Hansen")
    assert user.employee_profile.department == team["team"]
    assert group_names(user) == {"Hearing editors", "Hearing approvers"}
    assert not user.is_staff and not user.is_superuser
    session = Session.objects.get(session_key=browser.cookie("sessionid"))
    lifetime = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < lifetime <= settings.SESSION_COOKIE_AGE


def test_a_second_sign_in_with_changed_claims_updates_the_user(
    oidc_enabled, oidc_provider, live_server, team
):
    oidc_provider.claims = claims()
    Browser(live_server.url).sign_in_with_provider("jens-sub")

    oidc_provider.claims = claims(
        email="jens.hansen@kommune.dk", department="ou-9", groups=["agora-editors"]
    )
    browser = Browser(live_server.url)
    browser.sign_in_with_provider("jens-sub")

    user = signed_in_user(browser)
    assert User.objects.filter(social_auth__uid="jens-sub").count() == 1
    assert user.email == "jens.hansen@kommune.dk"
    assert user.employee_profile.department == team["other"]
    assert group_names(user) == {"Hearing editors"}


def test_groups_not_managed_by_the_provider_are_left_alone(
    oidc_enabled, oidc_provider, browser, team, django_user_model
):
    oidc_provider.claims = claims(groups=[])
    browser.sign_in_with_provider("jens-sub")
    user = signed_in_user(browser)
    user.groups.add(Group.objects.get(name="Response moderators"))

    browser.sign_in_with_provider("jens-sub")

    assert group_names(user) == {"Response moderators"}


def test_a_missing_required_claim_is_refused_with_a_message_on_the_sign_in_page(
    oidc_enabled, oidc_provider, browser, team
):
    oidc_provider.claims = claims(department=None)

    response, url = browser.sign_in_with_provider("jens-sub")

    assert urlsplit(url).path == "/accounts/login/"
    assert response.status_code == 200
    assert "did not send the information the portal needs (department)" in response.text
    assert session_user_id(browser.cookie("sessionid")) is None
    assert not User.objects.filter(social_auth__uid="jens-sub").exists()


def test_an_employee_outside_the_allowed_groups_is_refused(
    settings, oidc_environment, oidc_provider, browser, team
):
    apply_identity_environment(
        settings, {**oidc_environment, "SOCIAL_AUTH_OIDC_ALLOW_GROUPS": '["agora-users"]'}
    )
    oidc_provider.claims = claims(groups=["agora-editors"])

    response, url = browser.sign_in_with_provider("jens-sub")

    assert urlsplit(url).path == "/accounts/login/"
    assert "Your account may not sign in to the portal" in response.text
    assert session_user_id(browser.cookie("sessionid")) is None
    assert not User.objects.filter(social_auth__uid="jens-sub").exists()


def test_claims_never_make_a_user_superuser_or_staff(
    oidc_enabled, oidc_provider, browser, team, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@kommune.dk", "pw")
    oidc_provider.claims = claims(
        preferred_username="admin", is_superuser=True, is_staff=True, groups=["agora-editors"]
    )

    browser.sign_in_with_provider("mallory-sub")

    user = signed_in_user(browser)
    assert user.username != "admin"
    assert not user.is_superuser and not user.is_staff
    assert django_user_model.objects.filter(is_superuser=True).count() == 1


def test_a_tampered_state_is_refused(oidc_enabled, oidc_provider, browser, team):
    oidc_provider.claims = claims()

    _, callback = browser.sign_in_with_provider(
        "jens-sub", stop=lambda url: urlsplit(url).path == "/auth/complete/oidc/"
    )
    query = parse_qs(urlsplit(callback).query)
    assert query["state"] and query["code"]
    query["state"] = ["forged" + query["state"][0][6:]]
    response, url = browser.request("GET", f"/auth/complete/oidc/?{urlencode(query, doseq=True)}")

    assert urlsplit(url).path == "/accounts/login/"
    assert "The sign-in could not be verified" in response.text
    assert not User.objects.filter(social_auth__uid="jens-sub").exists()


def test_the_session_key_changes_at_sign_in(oidc_enabled, oidc_provider, browser, team):
    oidc_provider.claims = claims()

    _, callback = browser.sign_in_with_provider(
        "jens-sub", stop=lambda url: urlsplit(url).path == "/auth/complete/oidc/"
    )
    anonymous_key = browser.cookie("sessionid")
    assert anonymous_key  # the state was kept in the anonymous session
    browser.request("GET", callback)

    assert browser.cookie("sessionid") != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert signed_in_user(browser).username == "jens"


@pytest.mark.parametrize("sign_out", ["/accounts/logout/", "/admin/logout/"])
def test_sign_out_ends_the_provider_session_too(
    oidc_enabled, oidc_provider, browser, team, live_server, sign_out
):
    oidc_provider.claims = claims()
    browser.sign_in_with_provider("jens-sub")
    user_session = browser.cookie("sessionid")
    token = browser.csrf_token()

    response, end_session = browser.request(
        "POST",
        sign_out,
        data={"csrfmiddlewaretoken": token},
        stop=lambda url: url.startswith(oidc_provider.url),
    )

    assert session_user_id(user_session) is None
    assert end_session.startswith(f"{oidc_provider.url}/session/end?")
    params = parse_qs(urlsplit(end_session).query)
    assert params["post_logout_redirect_uri"] == [f"{live_server.url}/"]
    assert params["id_token_hint"][0].count(".") == 2
    # The provider asks to confirm, then sends the employee back to the portal.
    page, _ = browser.request("GET", end_session)
    action, fields = form_fields(page.text)
    fields["logout"] = "yes"
    _, back = browser.request("POST", action, data=fields)
    assert back.rstrip("/") == live_server.url
