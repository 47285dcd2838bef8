"""A second factor for local staff accounts (AGORA_REQUIRE_2FA_FOR_STAFF).

Through the real sign-in form with Django's test client: the password alone does not
sign a staff account in; the first time, a setup page shows a QR code and the secret,
and the first code from the app confirms it; after that, every sign-in asks for a code.
Employees without staff rights, and installations without the setting, are unchanged.
"""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.AGORA_REQUIRE_2FA_FOR_STAFF = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off has a test of its own
    return settings


@pytest.fixture
def editor(make_user):
    return make_user("editor", groups=["Hearing editors"])


def code(secret, steps_ahead=0):
    """What an authenticator app shows for ``secret`` (base32, as on the setup page)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def signed_in(client):
    return "_auth_user_id" in client.session


def sign_in(client, username="editor", password="pw", next_url="/admin/"):  # noqa: S107
    return client.post(
        f"/accounts/login/?next={next_url}", {"username": username, "password": password}
    )


def secret_on(page):
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)


def test_a_staff_password_alone_does_not_sign_in(client, required, editor):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/second-factor/"
    assert not signed_in(client)
    # Nothing of the admin is reachable meanwhile.
    assert client.get("/admin/").status_code == 302
    assert not signed_in(client)


def test_first_sign_in_sets_up_the_app_then_every_sign_in_asks_for_a_code(
    client, required, editor
):
    sign_in(client)
    response = client.get("/accounts/second-factor/")
    assert response["Location"] == "/accounts/second-factor/setup/"

    setup = client.get("/accounts/second-factor/setup/", HTTP_ACCEPT_LANGUAGE="da")
    page = setup.content.decode()
    assert setup.status_code == 200
    assert "Opsæt" in page  # Danish
    assert 'src="data:image/svg+xml' in page  # the QR code, no request elsewhere
    secret = secret_on(page)
    # The page shows the device's own secret, and the QR code carries it.
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post("/accounts/second-factor/setup/", {"token": "000000"})
    assert wrong.status_code == 400
    assert not signed_in(client)

    response = client.post("/accounts/second-factor/setup/", {"token": code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in(client)
    assert "agora_second_factor_pending" not in client.session
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    client.post("/accounts/logout/")
    assert sign_in(client)["Location"] == "/accounts/second-factor/"
    form = client.get("/accounts/second-factor/", HTTP_ACCEPT_LANGUAGE="da")
    assert "Skriv din kode" in form.content.decode()
    assert "totp-secret" not in form.content.decode()  # the secret is shown only once
    response = client.post("/accounts/second-factor/", {"token": code(secret, 1)})
    assert response["Location"] == "/admin/"
    assert signed_in(client)


def test_a_used_code_does_not_work_twice(client, required, editor):
    sign_in(client)
    secret = secret_on(client.get("/accounts/second-factor/setup/").content.decode())
    token = code(secret)
    client.post("/accounts/second-factor/setup/", {"token": token})
    client.post("/accounts/logout/")

    sign_in(client)
    response = client.post("/accounts/second-factor/", {"token": token})
    assert response.status_code == 400
    assert not signed_in(client)


def test_guessing_codes_locks_the_account_out(client, required, editor):
    required.AGORA_SIGNIN_MAX_FAILURES = 3
    sign_in(client)
    secret = secret_on(client.get("/accounts/second-factor/setup/").content.decode())
    for guess in ("111111", "222222", "333333"):
        client.post("/accounts/second-factor/setup/", {"token": guess})

    response = client.post("/accounts/second-factor/setup/", {"token": code(secret)})

    assert response.status_code == 400
    assert not signed_in(client)


def test_django_otp_s_back_off_is_shown_as_a_message(client, required, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    sign_in(client)
    secret = secret_on(client.get("/accounts/second-factor/setup/").content.decode())
    client.post("/accounts/second-factor/setup/", {"token": "111111"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the browser's language is ignored
    response = client.post("/accounts/second-factor/setup/", {"token": code(secret)})
    assert response.status_code == 400
    assert "Wait a few seconds" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize("token", ["", "abcdef", "1" * 13, "12 34 5x", "١٢٣٤٥٦", "-12345"])
def test_malformed_codes_are_refused_with_a_message(client, required, editor, token):
    sign_in(client)
    client.get("/accounts/second-factor/setup/")
    response = client.post("/accounts/second-factor/setup/", {"token": token})
    assert response.status_code == 400
    assert not signed_in(client)


def test_without_a_pending_password_the_code_pages_send_to_sign_in(client, required, editor):
    for url in ("/accounts/second-factor/", "/accounts/second-factor/setup/"):
        assert client.get(url)["Location"] == "/accounts/login/"
        assert client.post(url, {"token": "123456"})["Location"] == "/accounts/login/"


def test_an_employee_without_staff_rights_signs_in_with_the_password(client, required, make_user):
    make_user("employee1")
    response = sign_in(client, "employee1", next_url="/")
    assert response["Location"] == "/"
    assert signed_in(client)


def test_without_the_setting_staff_sign_in_with_the_password(client, editor, settings):
    settings.AGORA_REQUIRE_2FA_FOR_STAFF = False
    assert sign_in(client)["Location"] == "/admin/"
    assert signed_in(client)


def test_a_staff_password_session_without_a_code_is_ended(client, required, editor):
    """E.g. a session from before the setting was switched on."""
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def test_the_pending_sign_in_expires(client, required, editor, monkeypatch):
    sign_in(client)
    session = client.session
    pending = session["agora_second_factor_pending"]
    pending["since"] -= 11 * 60
    session["agora_second_factor_pending"] = pending
    session.save()
    assert client.get("/accounts/second-factor/setup/")["Location"] == "/accounts/login/"
