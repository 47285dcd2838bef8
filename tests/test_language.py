"""The portal speaks Danish unless the person chooses English; the browser's language is
ignored. The admin follows the user's own Wagtail preference, Danish by default. The demo
shows the portal's own 404 page."""

import importlib

import pytest
from django.conf import settings as django_settings
from django.test import Client
from wagtail.users.models import UserProfile

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def html_lang(response):
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def browser(db):
    return Client(**ENGLISH_BROWSER)


def test_an_english_browser_gets_the_danish_public_site(browser, hearing_index):
    response = browser.get("/hearings/")
    assert response.status_code == 200
    assert html_lang(response) == "da"
    assert response["Content-Language"] == "da"
    assert "Høringer" in response.content.decode()


def test_choosing_english_in_the_footer_is_remembered(browser, hearing_index):
    chosen = browser.post("/i18n/setlang/", {"language": "en", "next": "/hearings/"})
    assert chosen.status_code == 302
    for _ in range(2):
        response = browser.get("/hearings/")
        assert html_lang(response) == "en"
    browser.post("/i18n/setlang/", {"language": "da", "next": "/hearings/"})
    assert html_lang(browser.get("/hearings/")) == "da"


def test_an_unknown_language_in_the_cookie_falls_back_to_danish(browser, hearing_index):
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert html_lang(browser.get("/hearings/")) == "da"


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", is_superuser=True, is_staff=True)


def test_the_admin_is_danish_by_default_whatever_the_browser_or_the_public_choice(
    browser, admin_user
):
    browser.force_login(admin_user)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = browser.get("/admin/")
    assert response.status_code == 200
    assert html_lang(response) == "da"


def test_the_admin_follows_the_users_wagtail_preference(browser, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    browser.force_login(admin_user)
    response = browser.get("/admin/")
    assert html_lang(response) == "en"


def test_the_api_answers_in_the_language_the_program_asks_for(make_user):
    user = make_user("employee")
    english, danish = Client(HTTP_ACCEPT_LANGUAGE="en"), Client()
    for client in (english, danish):
        client.force_login(user)
    url = "/api/v1/hearings/999999/responses"
    in_english = english.post(url, {"answers": 5}, content_type="application/json")
    in_danish = danish.post(url, {"answers": 5}, content_type="application/json")
    assert in_english.status_code == in_danish.status_code == 400
    assert in_english.json()["detail"] != in_danish.json()["detail"]


def test_the_demo_shows_the_portals_own_404_page(settings, hearing_index):
    dev = importlib.import_module("agora_site.settings.dev")
    assert "agora_site.middleware.PortalNotFoundMiddleware" in dev.MIDDLEWARE
    settings.DEBUG = True
    settings.MIDDLEWARE = dev.MIDDLEWARE
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Technical" not in html and "Using the URLconf" not in html
    assert '<main id="main-content"' in html
    assert html_lang(response) == "da"


def test_english_dates_are_written_as_the_danish_ones_day_month_year_24_hours(
    browser, make_hearing, departments, make_user
):
    """The hearing list wrote "Dec. 3, 2026, 9:41 p.m." beside "4. December 2026 21:43"
    on the same English page."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    employee = make_user("emma", departments["team"])
    closes = datetime(2027, 3, 4, 21, 43, tzinfo=ZoneInfo("Europe/Copenhagen"))
    make_hearing(title="Parkering", closes_at=closes, departments=[departments["center"]])
    browser.force_login(employee)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = browser.get("/hearings/").content.decode()
    assert ">4 March 2027 21:43</time>" in html
    assert "p.m." not in html and "a.m." not in html
    del browser.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert ">4. marts 2027 21:43</time>" in browser.get("/hearings/").content.decode()
