"""The one sign-in page: local form, provider buttons, Wagtail admin, throttling."""

import pytest
from django.conf import settings

from agora_site import identity
from tests.identity.conftest import apply_identity_environment

OIDC = {
    "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT": "http://127.0.0.1:9/unreachable",
    "SOCIAL_AUTH_OIDC_KEY": "agora",
    "SOCIAL_AUTH_OIDC_SECRET": "secret",
    "AGORA_SSO_OIDC_LABEL": "OS2faktor",
}


@pytest.fixture
def oidc_configured(settings):
    apply_identity_environment(settings, OIDC)


def test_with_no_provider_configured_only_the_local_form_shows(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert b"/auth/login/" not in response.content


def test_each_configured_provider_gets_a_post_button_with_csrf(client, db, oidc_configured):
    response = client.get("/accounts/login/?next=/hearings/")
    html = response.content.decode()

    form = html[html.index('action="/auth/login/oidc/"') :]
    form = form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" in form
    assert 'name="next" value="/hearings/"' in form
    assert "OS2faktor" in form
    assert b'name="password"' in response.content  # the local form stays beside it


def test_signing_in_through_a_provider_needs_a_post(client, db, oidc_configured):
    assert client.get("/auth/login/oidc/").status_code == 405


def test_wagtail_admin_sends_anonymous_users_to_the_portal_sign_in_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")

    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_an_employee_who_opens_the_admin_is_told_it_is_not_for_them(client, make_user):
    client.force_login(make_user("medarbejder"))

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    page = response.content.decode()
    assert "No access to the administration" in page  # this client reads English
    assert 'name="password"' not in page, "not the sign-in form again"
    client.force_login(make_user("redaktoer", groups=["Hearing editors"]))
    assert client.get("/admin/").status_code == 200


def test_sign_out_works_when_the_provider_cannot_be_reached(client, make_user, oidc_configured):
    user = make_user("jens")
    user.social_auth.create(provider="oidc", uid="jens-sub", extra_data={"id_token": "a.b.c"})
    client.force_login(user, backend=identity.OIDC_BACKEND)
    session = client.session
    session["social_auth_last_login_backend"] = "oidc"
    session.save()

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_a_local_user_signs_in_and_the_session_key_changes(client, make_user):
    make_user("editor", groups=["Hearing editors"])
    anonymous = client.session
    anonymous["visited"] = True
    anonymous.save()
    client.cookies["sessionid"] = anonymous.session_key

    response = client.post("/accounts/login/", {"username": "editor", "password": "pw"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert client.session.session_key != anonymous.session_key


def test_repeated_wrong_passwords_lock_the_account_out_from_that_address(
    client, make_user, settings
):
    settings.AGORA_SIGNIN_MAX_FAILURES = 3
    settings.AGORA_SIGNIN_LOCKOUT_MINUTES = 10
    make_user("employee1")
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "employee1", "password": "x"})
        assert response.status_code == 200

    response = client.post("/accounts/login/", {"username": "employee1", "password": "pw"})

    assert response.status_code == 200  # even the right password is refused now
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts. Wait 10 minutes" in response.content.decode()
    assert b"The username or password is wrong" not in response.content
    # Another address is not locked out.
    response = client.post(
        "/accounts/login/",
        {"username": "employee1", "password": "pw"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, make_user, settings):
    settings.AGORA_SIGNIN_MAX_FAILURES = 3
    make_user("employee1")
    for _ in range(2):
        client.post("/accounts/login/", {"username": "employee1", "password": "x"})
    client.post("/accounts/login/", {"username": "employee1", "password": "pw"})
    client.post("/accounts/logout/")

    for _ in range(2):
        client.post("/accounts/login/", {"username": "employee1", "password": "x"})
    response = client.post("/accounts/login/", {"username": "employee1", "password": "pw"})

    assert response.status_code == 302


def test_forged_provider_answers_lock_single_sign_on_out_too(
    client, db, oidc_configured, settings
):
    settings.AGORA_SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        response = client.get("/auth/complete/oidc/?state=forged&code=forged")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"

    response = client.post("/auth/login/oidc/", follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Too many failed sign-in attempts. Wait 15 minutes" in response.content.decode()


def test_a_failed_provider_sign_in_shows_a_message_on_the_sign_in_page(
    client, db, oidc_configured
):
    response = client.get("/auth/complete/oidc/?state=forged&code=forged", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert response.status_code == 200
    assert "The sign-in could not be verified" in response.content.decode()


def test_the_identity_settings_come_from_the_environment():
    config = identity.configure(
        {
            **OIDC,
            "SOCIAL_AUTH_OIDC_GROUPS_MAP": '{"g1": ["Hearing editors"]}',
            "SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY": "true",
            "AGORA_SSO_REQUIRED_CLAIMS": "email, department",
        }
    )

    assert config.backends == [identity.OIDC_BACKEND]
    assert config.settings["SOCIAL_AUTH_OIDC_KEY"] == "agora"
    assert config.settings["SOCIAL_AUTH_OIDC_GROUPS_MAP"] == {"g1": ["Hearing editors"]}
    assert config.settings["SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY"] is True
    assert config.settings["AGORA_SSO_REQUIRED_CLAIMS"] == ["email", "department"]
    assert config.providers == [{"backend": "oidc", "label": "OS2faktor"}]
    assert "is_superuser" in config.settings["SOCIAL_AUTH_PROTECTED_USER_FIELDS"]


def test_entra_id_is_switched_on_by_its_own_variables():
    config = identity.configure(
        {
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_KEY": "client-id",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SECRET": "secret",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_TENANT_ID": "tenant",
        }
    )

    assert config.backends == [identity.ENTRA_BACKEND]
    assert config.providers[0]["backend"] == "azuread-v2-tenant-oauth2"


def test_no_environment_means_no_providers():
    config = identity.configure({})

    assert config.backends == [] and config.providers == []


@pytest.mark.parametrize("address", ["/accounts/logout/", "/admin/logout/"])
def test_a_sign_out_address_opened_asks_before_signing_out(client, make_user, address):
    """A GET (typed, bookmarked, prefetched) signs nobody out; it was an empty 405."""
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # in Danish, as most people read it
    client.force_login(make_user("jens"))
    asked = client.get(address)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Vil du logge ud?" in html
    assert '<form method="post" action="/accounts/logout/">' in html
    assert "_auth_user_id" in client.session  # still signed in
    client.post(address)
    assert "_auth_user_id" not in client.session
    assert "Du er ikke logget ind." in client.get(address).content.decode()
