"""The sign-in lockout cannot be sidestepped.

Another spelling of a locked-out username (full-width letters, other case) counts as
the same account; one address trying many usernames (password spraying) meets a limit;
many failures from everywhere pause password sign-in for everybody; Wagtail's password
reset is throttled, and off when local sign-in is off.
"""

import pytest
from django.core import mail

from agora_site import throttle

pytestmark = pytest.mark.django_db

LOCKED = ("Too many failed sign-in attempts", "For mange mislykkede forsøg")


def locked(response):
    return any(text in response.content.decode() for text in LOCKED)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def limits(settings):
    settings.AGORA_SIGNIN_MAX_FAILURES = 3
    settings.AGORA_SIGNIN_MAX_FAILURES_PER_ADDRESS = 6
    settings.AGORA_SIGNIN_MAX_FAILURES_GLOBAL = 10
    settings.AGORA_SIGNIN_LOCKOUT_MINUTES = 10
    return settings


@pytest.mark.parametrize(
    "spelling",
    [
        "ｅmployee2",  # full-width e: NFKC makes it "employee2", as the form does
        "Employee2",
        "EMPLOYEE2",
        " employee2 ",
        "ｅｍｐｌｏｙｅｅ２",
    ],
)
def test_another_spelling_of_a_locked_out_username_is_locked_out_too(
    client, make_user, limits, spelling
):
    make_user("employee2")
    for _ in range(3):
        sign_in(client, "employee2", "wrong")

    response = sign_in(client, spelling, "pw")

    assert not signed_in(client)
    assert locked(response)


def test_full_width_spellings_share_one_count(client, make_user, limits):
    """Each spelling does not get fresh tries: three failures in three spellings lock."""
    make_user("employee2")
    for spelling in ("ｅmployee2", "Employee2", "employee2"):
        sign_in(client, spelling, "wrong")

    response = sign_in(client, "employee2", "pw")

    assert not signed_in(client)
    assert locked(response)


def test_the_full_width_spelling_signs_in_when_not_locked(client, make_user, limits):
    """Django normalises the username (NFKC) before authenticating: the throttle agrees."""
    make_user("employee2")
    response = sign_in(client, "ｅmployee2", "pw")
    assert response.status_code == 302
    assert signed_in(client)


def test_one_address_trying_many_usernames_is_stopped(client, make_user, limits):
    make_user("employee7")
    for number in range(6):  # one guess each for six usernames: no pair reaches 3
        sign_in(client, f"employee{number}", "Sommer2026!")

    response = sign_in(client, "employee7", "pw")

    assert not signed_in(client)
    assert locked(response)
    # Another address is unaffected.
    assert sign_in(client, "employee7", "pw", address="10.0.0.9").status_code == 302


def test_many_failures_from_everywhere_pause_password_sign_in(client, make_user, limits):
    make_user("admin1")
    for number in range(10):  # ten addresses, one failure each
        sign_in(client, f"user{number}", "x", address=f"10.1.0.{number}")

    response = sign_in(client, "admin1", "pw", address="10.9.9.9")

    assert not signed_in(client)
    assert "pause" in response.content.decode()  # "paused" / "sat på pause"


def test_a_success_does_not_clear_the_address_count(client, make_user, limits):
    """An attacker with one valid account cannot reset the spraying count with it."""
    make_user("mine")
    for number in range(5):
        sign_in(client, f"victim{number}", "x")
    assert sign_in(client, "mine", "pw").status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, "victim9", "x")

    response = sign_in(client, "mine", "pw")

    assert not signed_in(client)
    assert locked(response)


def test_the_lockout_message_is_danish_by_default(client, make_user, limits):
    make_user("employee2")
    for _ in range(3):
        sign_in(client, "employee2", "wrong")
    response = client.post(
        "/accounts/login/",
        {"username": "employee2", "password": "pw"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert "For mange mislykkede" in response.content.decode()


@pytest.mark.parametrize(
    "username",
    [
        b"",
        b"+",
        b"a" * 10_000,
        b"%00admin",
        b"admin%E2%80%8B",  # zero-width space
        b"%EF%BD%85" * 200,  # full-width e, 200 times
        b"%ED%A0%80",  # a lone UTF-16 surrogate, as (invalid) UTF-8
        b"%FF%FE",  # not UTF-8 at all
        b"..%2Fadmin",
    ],
)
def test_hostile_usernames_are_refused_without_error(client, make_user, limits, username):
    make_user("admin")
    response = client.post(
        "/accounts/login/",
        b"username=" + username + b"&password=pw",
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code in (200, 400)
    assert not signed_in(client)


def test_normalise_matches_django_s_sign_in_form():
    from django.contrib.auth.forms import UsernameField

    for spelling in ("ｅmployee2", "ﬁle", "Å", "Å"):
        assert throttle.normalise(spelling) == UsernameField().to_python(spelling).casefold()


# Password reset ---------------------------------------------------------------------


def reset(client, email, address="10.0.0.1"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_throttled(client, make_user, settings):
    settings.AGORA_PASSWORD_RESET_MAX_PER_HOUR = 3
    make_user("employee2")  # employee2@example.dk
    for _ in range(3):
        assert reset(client, "employee2@example.dk").status_code == 302
    assert len(mail.outbox) == 3

    response = reset(client, "employee2@example.dk")
    assert response.status_code == 429
    # Another address cannot flood the same mailbox either, nor another spelling.
    assert reset(client, "EMPLOYEE2@example.dk", address="10.0.0.2").status_code == 429
    assert len(mail.outbox) == 3


def test_one_address_cannot_send_resets_to_many_mailboxes(client, make_user, settings):
    settings.AGORA_PASSWORD_RESET_MAX_PER_HOUR = 3
    for number in range(5):
        make_user(f"employee{number}")
    codes = [reset(client, f"employee{number}@example.dk").status_code for number in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


def test_password_reset_is_off_when_local_sign_in_is_off(client, make_user, settings):
    settings.AGORA_LOCAL_SIGNIN = False
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = False
    make_user("employee2")
    assert client.get("/admin/password_reset/").status_code == 404
    assert reset(client, "employee2@example.dk").status_code == 404
    assert not mail.outbox


def test_local_sign_in_off_refuses_passwords(client, make_user, settings):
    settings.AGORA_LOCAL_SIGNIN = False
    make_user("employee2")
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page
    response = sign_in(client, "employee2", "pw")
    assert response.status_code == 403
    assert not signed_in(client)


def test_the_settings_switch_password_reset_with_local_sign_in(monkeypatch):
    import importlib

    import agora_site.settings.base as base

    monkeypatch.setenv("AGORA_LOCAL_SIGNIN", "false")
    try:
        assert importlib.reload(base).WAGTAIL_PASSWORD_RESET_ENABLED is False
    finally:
        monkeypatch.delenv("AGORA_LOCAL_SIGNIN")
        importlib.reload(base)
    assert base.WAGTAIL_PASSWORD_RESET_ENABLED is True


@pytest.mark.parametrize(
    "email",
    [b"", b"not-an-address", b"a" * 5000 + b"@example.dk", b"%00@example.dk", b"%ED%A0%80@x.dk"],
)
def test_hostile_password_reset_input_is_refused_without_error(client, make_user, email):
    make_user("employee2")
    response = client.post(
        "/admin/password_reset/",
        b"email=" + email,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302, 400)
    assert not mail.outbox
