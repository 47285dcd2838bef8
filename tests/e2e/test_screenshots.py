"""Screenshots of every public screen at 1280 and 390 px, and of the main admin screens.

They are saved under test-results/screenshots/ for a reviewer to read (they are not
golden images: nothing compares pixels). What the tests check is the visible text: each
screen shows the Danish it should — the municipality's name, the page's own words, the
footer's links — and nothing scrolls sideways on a phone.
"""

import re
from urllib.parse import urlsplit

from django.urls import reverse

from hearings.models import HearingPage, HearingResponse
from tests.e2e.conftest import RESULTS_DIR
from tests.e2e.helpers import sign_in

SHOTS = RESULTS_DIR / "screenshots"
WIDTHS = (1280, 390)
FOOTER = ["Agora Kommune", "Kontakt", "Tilgængelighedserklæring", "Privatlivspolitik", "Sprog"]

# (name, path, signed in as, Danish the screen must show besides the header and footer)
PUBLIC = [
    ("forside-anonym", "/", None, ["Mine høringer", "Log ind"]),
    ("log-ind", "/accounts/login/", None, ["Log ind", "Brugernavn", "Adgangskode"]),
    ("forside", "/", "employee1", ["Mine høringer", "Mine svar", "Ny politik for hjemmearbejde"]),
    ("hoeringer", "/hearings/", "employee1", ["Høringer", "Filtrér høringer", "Resultater"]),
    ("hoering-aaben", "/hearings/hjemmearbejde/", "employee1", ["Forside", "Dit svar", "Indsend"]),
    ("hoering-kommende", "/hearings/budget-2028/", "employee1", ["Budget 2028", "åbner"]),
    ("hoering-lukket", "/hearings/ferieplanlaegning/", "employee1", ["Ny ferieplanlægning"]),
    ("hoering-afsluttet", "/hearings/roegfri-arbejdstid/", "employee1", ["Konklusion"]),
    ("soeg", "/search/", "employee1", ["Søg i høringer", "Søgeord"]),
    ("soeg-resultater", "/search/?q=politik", "employee1", ["Søg i høringer", "politik"]),
    ("mine-data", "/my-data/", "employee1", ["Mine data"]),
    ("tilgaengelighed", "/accessibility-statement/", None, ["Tilgængelighedserklæring"]),
    ("privatliv", "/privacy-notice/", None, ["Privatlivspolitik"]),
    ("ikke-fundet", "/no-such-page/", "employee1", ["Siden findes ikke"]),
]


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visible_text(page):
    return re.sub(r"\s+", " ", page.locator("body").inner_text())


def missing(text, expected):
    return [words for words in expected if words.casefold() not in text.casefold()]


def skipped_heading_levels(page):
    """Headings that skip a level ("h1 → h3"), in document order: one h1, then no gaps."""
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    skips = [f"h{a} → h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    if levels[:1] != [1] or levels.count(1) != 1:
        skips.append(f"headings begin {levels[:3]} with {levels.count(1)} h1")
    return skips


def test_every_public_screen_at_desktop_and_phone_width(page):
    problems = []
    signed_in = None
    for name, path, user, expected in PUBLIC:
        if user != signed_in:
            page.context.clear_cookies()
            if user:
                sign_in(page, user)
            signed_in = user
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            shoot(page, f"{name}-{width}")
            text = visible_text(page)
            for words in missing(text, expected + FOOTER):
                problems.append(f"{name} at {width} px lacks {words!r}")
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{name} scrolls sideways at {width} px")
            for skip in skipped_heading_levels(page):
                problems.append(f"{name}: {skip}")
            if not page.locator("header img.agora-logo-image").is_visible():
                problems.append(f"{name} at {width} px shows no logo")
    assert not problems, "\n".join(problems)


def test_the_second_municipality_shows_its_own_identity(browser, live_server, demo):
    port = urlsplit(live_server.url).port
    context = browser.new_context(
        base_url=f"http://nabo.localhost:{port}", locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    page = context.new_page()
    sign_in(page, "nabo1")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/hearings/ny-affaldsordning/")
        shoot(page, f"nabo-hoering-{width}")
        text = visible_text(page)
        assert not missing(text, ["Nabo Kommune", "kontakt@nabo.example", "Dit svar"])
        assert "Agora Kommune" not in page.locator("header, footer").all_inner_texts()[0]
    context.close()


ADMIN = [
    ("admin-oversigt", "/admin/", ["Agora Kommune", "Høringer"]),
    ("admin-sider", "/admin/pages/", ["Sider"]),
    (
        "admin-kommune",
        "/admin/settings/hearings/municipalitysettings/",
        ["Kommunens navn", "Logo"],
    ),
]


def test_the_main_admin_screens_carry_the_municipality(page):
    sign_in(page, "admin", next_url="/admin/")
    closed = HearingPage.objects.get(slug="ferieplanlaegning")
    response = HearingResponse.objects.filter(hearing=closed).first()
    screens = ADMIN + [
        ("admin-hoering-rediger", f"/admin/pages/{closed.pk}/edit/", ["Ny ferieplanlægning"]),
        ("admin-hoering-svar", reverse("hearing_responses:hearing", args=[closed.pk]), ["Svar"]),
    ]
    if response is not None:
        inspect = reverse("hearing_responses:inspect", args=[response.pk])
        screens.append(("admin-svar", inspect, [response.reference]))
    problems = []
    for name, path, expected in screens:
        answer = page.goto(path)
        page.wait_for_load_state("networkidle")
        shoot(page, name)
        if answer.status != 200:
            problems.append(f"{name}: {answer.status}")
            continue
        if not page.title().endswith("- Agora Kommune"):
            problems.append(f"{name} is titled {page.title()!r}")
        for words in missing(visible_text(page), expected):
            problems.append(f"{name} lacks {words!r}")
        if not page.locator("img.agora-admin-logo").first.is_visible():
            problems.append(f"{name} shows no logo")
    assert not problems, "\n".join(problems)
