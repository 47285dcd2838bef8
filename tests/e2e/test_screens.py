"""Every screen an employee meets passes axe (WCAG 2.1 A/AA) under the strict CSP.

Each screen is checked as the person who would see it: anonymous for the front page
and sign-in, employee1 (invited to every demo hearing) for the rest.
"""

import re

import pytest
from django.utils import translation

from tests.e2e.helpers import (
    assert_accessible,
    assert_no_csp_violations,
    assert_no_script_errors,
    sign_in,
)

SCREENS = [
    # (id, path, signed in, expected status, how the <title> begins: a msgid of ours
    # (with the search words, if any), compared in Danish, or the page's own title)
    ("home-anonymous", "/", False, 200, "My hearings"),
    ("sign-in", "/accounts/login/", False, 200, "Sign in"),
    ("sign-out", "/accounts/logout/", True, 200, "Sign out"),
    ("hearing-index-anonymous", "/hearings/", False, 200, "Høringer"),
    ("home-my-hearings", "/", True, 200, "My hearings"),
    ("hearing-index", "/hearings/", True, 200, "Høringer"),
    ("hearing-index-filtered", "/hearings/?phase=open", True, 200, "Høringer"),
    (
        "hearing-index-no-match",
        "/hearings/?phase=upcoming&subject_area=999999",
        True,
        200,
        "Høringer",
    ),
    ("hearing-open", "/hearings/hjemmearbejde/", True, 200, "Ny politik for hjemmearbejde"),
    ("hearing-upcoming", "/hearings/budget-2028/", True, 200, "Budget 2028"),
    ("hearing-closed", "/hearings/ferieplanlaegning/", True, 200, "Ny ferieplanlægning"),
    ("hearing-concluded", "/hearings/roegfri-arbejdstid/", True, 200, "Røgfri arbejdstid"),
    ("search-empty", "/search/", True, 200, "Search"),
    ("search-results", "/search/?q=politik", True, 200, ("Search: %(query)s", "politik")),
    ("not-found", "/no-such-page/", True, 404, "Page not found"),
    ("forbidden", "/e2e/forbidden/", True, 403, "Access denied"),
    ("server-error", "/e2e/broken/", False, 500, "Something went wrong"),
]


@pytest.fixture
def with_failing_urls(settings):
    settings.ROOT_URLCONF = "tests.e2e.urls"


@pytest.mark.parametrize(
    ("path", "signed_in", "status", "title"),
    [screen[1:] for screen in SCREENS],
    ids=[screen[0] for screen in SCREENS],
)
def test_screen_is_accessible_danish_and_within_the_csp(
    page, with_failing_urls, path, signed_in, status, title
):
    if signed_in:
        sign_in(page, "employee1")
    response = page.goto(path)

    assert response.status == status
    assert page.locator("html").get_attribute("lang") == "da"
    with translation.override("da"):
        msgid, query = title if isinstance(title, tuple) else (title, None)
        expected = (
            translation.gettext(msgid) % {"query": query} if query else translation.gettext(msgid)
        )
        assert page.title().startswith(expected)
    assert " – " in page.title(), "the page first, then the site"
    assert page.locator("h1").count() == 1
    assert page.locator("main#main-content").count() == 1
    assert_accessible(page)
    assert_no_csp_violations(page)
    if status < 400:
        assert_no_script_errors(page)
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/hearings/hjemmearbejde/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main-content"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_the_admin_is_outside_the_content_security_policy(page):
    sign_in(page, "admin", next_url="/admin/")
    response = page.goto("/admin/")
    assert response.status == 200
    assert "content-security-policy" not in response.headers


def test_axe_catches_what_it_should(page):
    """The check is not vacuous: a field without a label and an image without alt fail."""
    page.set_content(
        '<html lang="da"><head><title>Prøve</title></head><body><main>'
        '<h1>Prøve</h1><img src="data:,"><input type="text" name="x"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)


def test_on_a_phone_the_index_reflows_and_keeps_its_menu(employee_page):
    """WCAG 1.4.10: at 320 CSS pixels nothing scrolls sideways and nothing is hidden."""
    page = employee_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/hearings/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("navigation").first.is_visible()
    assert page.locator("main form button[type=submit]").is_visible()
    assert_accessible(page)


def test_a_failed_sign_in_is_announced_and_stays_accessible(page):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("employee1")
    page.locator("input[name=password]").fill("wrong password")
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()

    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert alert.get_attribute("id") == "login-error"
    with translation.override("da"):
        assert page.title().startswith(translation.gettext("Error:"))
    for name in ("username", "password"):
        field = page.locator(f"input[name={name}]")
        assert field.get_attribute("aria-invalid") == "true"
        assert field.get_attribute("aria-describedby") == "login-error"
        link = alert.locator(f"a[href='#{field.get_attribute('id')}']")
        link.click()
        assert field.evaluate("el => el === document.activeElement")
    assert page.locator("input[name=username]").input_value() == "employee1"
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_an_employee_can_read_the_portal_in_english(employee_page):
    from playwright.sync_api import expect

    page = employee_page
    page.goto("/hearings/")

    page.get_by_label("Sprog").or_(page.get_by_label("Language")).select_option("en")
    page.locator("form.agora-language-form button[type=submit]").click()

    page.wait_for_load_state()
    assert page.url.endswith("/hearings/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="All hearings").is_visible()
    assert_accessible(page)

    # The answer form too, down to the character counter that the script fills in.
    page.goto("/hearings/hjemmearbejde/")
    counter = page.locator(".agora-form-limit .character-limit")
    expect(counter).to_have_text(re.compile(r"^You have \d+ characters left$"))
