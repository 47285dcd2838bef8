"""Two municipalities from one installation, in a browser: nabo1 signs in at
nabo.localhost and sees Nabo Kommune's hearing, never Agora Kommune's — not even a
public one, and not at Agora's own address when it is internal."""

from urllib.parse import urlsplit

import pytest

from hearings.models import Audience, HearingPage
from tests.e2e.helpers import assert_accessible, assert_no_script_errors, sign_in

NABO_HEARING = "Ny affaldsordning i Nabo Kommune"


@pytest.fixture
def nabo_page(browser, live_server, page):
    """A tab at nabo.localhost on the live server's port (the demo's second site)."""
    port = urlsplit(live_server.url).port
    context = browser.new_context(
        base_url=f"http://nabo.localhost:{port}",
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.log = page.log  # what the browser complains about, as for the usual tab
    tab.on("console", tab.log.on_console)
    tab.on("pageerror", lambda error: tab.log.errors.append(str(error)))
    yield tab
    context.close()


def test_nabo1_sees_nabos_hearing_and_not_agoras(nabo_page, live_server):
    # An Agora hearing open to everyone: without isolation it would show at Nabo too.
    public = HearingPage.objects.get(slug="trafikplan-2027")
    public.audience = Audience.PUBLIC
    public.save_revision().publish()
    internal = HearingPage.objects.get(slug="hjemmearbejde")

    page = nabo_page
    sign_in(page, "nabo1")
    main = page.locator("main")
    assert main.get_by_text(NABO_HEARING).first.is_visible()
    assert main.get_by_text(public.title).count() == 0
    assert main.get_by_text(internal.title).count() == 0
    assert_accessible(page)
    assert_no_script_errors(page)

    page.goto("/search/?q=ny")
    assert page.locator("main").get_by_text(NABO_HEARING).first.is_visible()
    assert page.locator("main").get_by_text(internal.title).count() == 0

    page.goto("/hearings/ny-affaldsordning/")
    assert page.locator("h1").get_by_text(NABO_HEARING).is_visible()

    # Agora's internal hearing, asked for at Agora's address: not for Nabo's employee.
    agora = page.context.new_page()
    answer = agora.goto(f"{live_server.url}{internal.get_url_parts()[2]}")
    assert answer.status != 200 or internal.title not in agora.content()


def test_nabos_editor_keeps_a_hearing_type_for_nabo_only(page):
    """In the admin, Nabo's editor may file a new hearing type under Nabo Kommune and
    nowhere else: not under Agora Kommune, and not shared with every municipality."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Site

    from hearings.models import HearingType

    editors = Group.objects.get(name="Nabo Kommune: Hearing editors")
    editors.permissions.add(
        *Permission.objects.filter(codename__in=["add_hearingtype", "change_hearingtype"])
    )
    nabo = Site.objects.get(hostname="nabo.localhost")
    sign_in(page, "nabo-editor", next_url="/admin/")
    page.goto("/admin/snippets/hearings/hearingtype/add/")
    options = page.locator("select[name=site] option")
    assert options.all_inner_texts() == [str(nabo)]
    page.locator("input[name=name]").fill("Naboskabsplan")
    page.locator("button.action-save").first.click()
    page.wait_for_url(lambda url: url.endswith("/admin/snippets/hearings/hearingtype/"))
    assert HearingType.objects.get(name="Naboskabsplan").site == nabo
    assert_no_script_errors(page)
