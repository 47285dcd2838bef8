"""The accessibility statement and the privacy notice: editable pages made by the demo,
reached from every page's footer (public pages, sign-in, error pages) by stable links."""

import pytest
from django.test import RequestFactory, override_settings
from django.views.defaults import server_error
from wagtail.models import Site

from home.demo import build_statements
from home.models import StatementKind, StatementPage

LINKS = ('href="/accessibility-statement/"', 'href="/privacy-notice/"')

ACCESSIBILITY_SECTIONS = [
    "Overholdelsesstatus",
    "Ikke-tilgængeligt indhold",
    "Udarbejdelse af denne tilgængelighedserklæring",
    "Feedback og kontaktoplysninger",
    "Håndhævelsesprocedure",
    "Digitaliseringsstyrelsen",
    "WCAG 2.1",
]
PRIVACY_SECTIONS = [
    "Dataansvarlig",
    "Databeskyttelsesrådgiver",
    "Formål",
    "Retsgrundlag",
    "Modtagere",
    "ESDH",
    "Opbevaring og sletning",
    "730 dage",
    "Dine rettigheder",
    "Datatilsynet",
]


@pytest.fixture
def statements(site):
    return build_statements(site)


def test_the_demo_writes_both_statements_with_the_required_sections(statements):
    pages = {page.kind: page for page in StatementPage.objects.live()}
    assert set(pages) == {StatementKind.ACCESSIBILITY, StatementKind.PRIVACY}
    for section in ACCESSIBILITY_SECTIONS:
        assert section in pages[StatementKind.ACCESSIBILITY].body, section
    for section in PRIVACY_SECTIONS:
        assert section in pages[StatementKind.PRIVACY].body, section


def test_building_them_twice_adds_nothing(site, statements):
    build_statements(site)
    assert StatementPage.objects.count() == 2


@pytest.mark.parametrize(
    "path, target",
    [
        ("/accessibility-statement/", "/tilgaengelighedserklaering/"),
        ("/privacy-notice/", "/privatlivspolitik/"),
    ],
)
def test_the_stable_links_lead_to_the_live_statement(client, statements, path, target):
    answer = client.get(path)
    assert (answer.status_code, answer["Location"]) == (302, target)
    page = client.get(target)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1


def test_without_a_live_statement_the_link_is_not_found(client, statements):
    StatementPage.objects.get(kind=StatementKind.PRIVACY).unpublish()
    assert client.get("/privacy-notice/").status_code == 404
    assert client.post("/accessibility-statement/").status_code == 405


def test_each_site_has_its_own_statement(client, statements, site):
    other_root = site.root_page.copy(
        recursive=False, update_attrs={"slug": "nabo", "title": "Nabo"}
    )
    Site.objects.create(hostname="nabo.localhost", root_page=other_root)
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert client.get("/privacy-notice/", HTTP_HOST="nabo.localhost").status_code == 404


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/hearings/", "/no-such-page/"])
def test_every_page_links_both_statements(client, statements, path):
    html = client.get(path).content.decode()
    for link in LINKS:
        assert link in html, (path, link)


def test_a_signed_in_page_and_a_hearing_link_them_too(client, statements, make_user, make_hearing):
    hearing = make_hearing()
    client.force_login(make_user("ida", is_superuser=True, is_staff=True))
    for path in (hearing.url, "/my-data/"):
        html = client.get(path).content.decode()
        assert all(link in html for link in LINKS), path


def test_the_server_error_page_links_them_without_the_database(db):
    html = server_error(RequestFactory().get("/")).content.decode()
    for link in LINKS:
        assert link in html
