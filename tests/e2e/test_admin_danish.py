"""Every admin screen a staff member can reach is in Danish.

Each demo staff role signs in, walks the admin (every menu item and the links on every
screen, one screen per URL pattern) and a hearing's own screens (edit, history, preview,
responses, report…), and no visible string may be one of Wagtail's messages that has
no Danish translation (tests/e2e/admin_crawl.py builds that set from Wagtail's
catalogues, Django's, ours and locale/overrides).
"""

import pytest
from django.urls import reverse

from hearings.models import HearingPage, HearingResponse
from tests.e2e.admin_crawl import crawl, english_msgids, english_on
from tests.e2e.helpers import sign_in


def hearing_screens(role):
    """A hearing's own screens, as the role reaches them from the editor or the menu."""
    closed = HearingPage.objects.get(slug="ferieplanlaegning")
    opened = HearingPage.objects.get(slug="hjemmearbejde")
    screens = []
    if role in ("admin", "editor", "approver"):
        for hearing in (opened, closed):
            screens += [
                reverse("wagtailadmin_pages:edit", args=[hearing.pk]),
                reverse("wagtailadmin_pages:history", args=[hearing.pk]),
                reverse("wagtailadmin_pages:view_draft", args=[hearing.pk]),
                reverse("wagtailadmin_pages:revisions_index", args=[hearing.pk]),
            ]
        screens.append(
            reverse(
                "wagtailadmin_pages:add",
                args=["hearings", "hearingpage", closed.get_parent().pk],
            )
        )
    if role in ("admin", "moderator"):
        response = HearingResponse.objects.filter(hearing=closed).first()
        screens += [
            reverse("hearing_responses:hearing", args=[closed.pk]),
            reverse("hearing_responses:report", args=[closed.pk]),
            reverse("hearing_responses:index"),
            reverse("hearing_responses:inspect", args=[response.pk]),
        ]
    return screens


def test_the_english_set_knows_wagtails_untranslated_messages():
    """The check can fail: an English message Wagtail ships untranslated is in the set,
    and one we translated in locale/overrides is not."""
    english = english_msgids()
    assert "Multi-line text" in english  # wagtail.contrib.forms, not installed here
    assert "Collapse all" not in english
    assert "Search…" not in english
    assert "Images" not in english


def test_the_check_finds_english_on_a_screen(page):
    page.set_content(
        "<main><h1>Skema</h1><p>Multi-line text</p><input placeholder='Add column'>"
        "<p>Flere handlinger</p></main>"
    )
    assert sorted(english_on(page)) == ["Add column", "Multi-line text"]


@pytest.mark.parametrize("role", ["editor", "approver", "moderator", "admin"])
def test_every_admin_screen_the_role_reaches_is_danish(page, live_server, role):
    sign_in(page, role, next_url="/admin/")
    extra = [f"{live_server.url}{path}" for path in hearing_screens(role)]
    visited, english, broken = [], {}, []
    for url, status in crawl(page, f"{live_server.url}/admin/", live_server.url, extra=extra):
        visited.append(url)
        if status and status >= 500:
            broken.append(f"{status} {url}")
            continue
        found = english_on(page)
        if found:
            english[url] = sorted(set(found))
    assert len(visited) >= 8, visited
    assert not broken, broken
    report = "\n".join(f"{url}: {strings}" for url, strings in english.items())
    assert not english, f"English on {len(english)} of {len(visited)} screens:\n{report}"
