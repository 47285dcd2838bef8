"""A staff member with a local account sets up and uses the second factor in a real
browser (AGORA_REQUIRE_2FA_FOR_STAFF on): the password alone opens nothing; the setup
page shows a QR code and the secret; a code from the "app" signs in. Every screen passes
axe within the strict CSP. tests/security/test_second_factor.py tests the rules."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.e2e.helpers import assert_accessible, assert_no_csp_violations

DEMO_PASSWORD = "demo"  # noqa: S105 - hearings.demo.PASSWORD


@pytest.fixture
def second_factor_required(settings):
    settings.AGORA_REQUIRE_2FA_FOR_STAFF = True


def app_code(secret, steps_ahead=0):
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def type_password(page, username, next_url="/admin/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()


def test_an_editor_sets_up_the_second_factor_and_signs_in_with_it(page, second_factor_required):
    type_password(page, "editor")
    page.wait_for_url("**/accounts/second-factor/setup/")
    assert page.locator("h1").inner_text() == "Opsæt totrinsbekræftelse"
    qr = page.locator("figure img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the QR code shows
    assert_accessible(page)
    assert_no_csp_violations(page)

    # A wrong code: an error, still not signed in.
    page.get_by_label("Kode fra din godkendelsesapp").fill("000000")
    page.locator("main form button[type=submit]").click()
    assert "Koden er forkert" in page.locator("[role=alert]").inner_text()
    assert_accessible(page)
    page.goto("/admin/")
    assert "/accounts/login/" in page.url or "/accounts/second-factor/" in page.url

    # The "app" reads the secret from the page, as a person would type it in.
    page.goto("/accounts/second-factor/setup/")
    secret = page.locator("#totp-secret").inner_text()
    time.sleep(1)  # django-otp waits a second after a wrong code
    page.get_by_label("Kode fra din godkendelsesapp").fill(app_code(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert "/accounts/" not in page.url

    # Next time: password, then only the code page.
    page.context.clear_cookies()
    type_password(page, "editor")
    page.wait_for_url("**/accounts/second-factor/")
    assert page.locator("h1").inner_text() == "Skriv din kode"
    assert page.locator("#totp-secret").count() == 0
    assert_accessible(page)
    page.get_by_label("Kode fra din godkendelsesapp").fill(app_code(secret, 1))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_an_employee_signs_in_with_the_password_alone(page, second_factor_required):
    type_password(page, "employee1", next_url="/hearings/")
    page.wait_for_url("**/hearings/")
