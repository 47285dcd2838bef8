"""Nothing leaves the building: every request the public site and the admin make, as
an anonymous visitor, an employee and each staff role, goes to the portal itself.

No Gravatar (it would receive an MD5 of each user's e-mail address), no release check
against releases.wagtail.org (settings WAGTAIL_GRAVATAR_PROVIDER_URL and
WAGTAIL_ENABLE_UPDATE_CHECK), no fonts, scripts or images from a CDN.
"""

from urllib.parse import urlsplit

from hearings.models import HearingPage
from tests.e2e.admin_crawl import crawl
from tests.e2e.helpers import sign_in

PUBLIC = ["/", "/hearings/", "/hearings/hjemmearbejde/", "/hearings/ferieplanlaegning/"]
SIGNED_IN = [*PUBLIC, "/hearings/roegfri-arbejdstid/", "/search/?q=politik"]


def foreign(urls, origin):
    own = urlsplit(origin).netloc
    return sorted(
        {
            url
            for url in urls
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != own
        }
    )


def test_the_public_site_and_the_admin_request_nothing_from_third_parties(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))

    for path in ["/accounts/login/", *PUBLIC]:
        page.goto(path)
    sign_in(page, "employee1")
    for path in SIGNED_IN:
        page.goto(path)

    hearing = HearingPage.objects.get(slug="hjemmearbejde")
    for role in ("admin", "editor", "approver", "moderator"):
        page.context.clear_cookies()
        sign_in(page, role, next_url="/admin/")
        extra = [f"{live_server.url}/admin/pages/{hearing.pk}/edit/"]
        visited = list(
            crawl(page, f"{live_server.url}/admin/", live_server.url, extra=extra, limit=25)
        )
        assert len(visited) > 5

    assert any("/admin/" in url for url in requested)
    outside = foreign(requested, live_server.url)
    assert not outside, f"Requests to third parties: {outside}"


def test_the_check_notices_a_third_party_request(live_server):
    urls = [
        f"{live_server.url}/static/x.css",
        "https://www.gravatar.com/avatar/0?s=50",
        "data:image/png;base64,AAAA",
    ]
    assert foreign(urls, live_server.url) == ["https://www.gravatar.com/avatar/0?s=50"]
