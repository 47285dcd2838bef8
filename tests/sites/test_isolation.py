"""Nobody sees across municipalities: each role × each surface × own/other municipality.

Agora's people ask about Agora's (own) and Nabo's (other) hearing and response; a
superuser of the installation sees both. Each request goes to the host of the site
the surface belongs to. The *officer* is a municipality's data-protection and operations
officer: the audit report, the outbox, the ESDH exports and the departments.
"""

import pytest
from django.urls import reverse

from tests.sites.conftest import HOSTS, OTHER

ROLES = ["employee", "moderator", "editor", "officer", "superuser"]
MUNIS = ["own", "other"]


def expected(surface, role, own):
    """Does ``role`` of Agora see the target municipality's hearing or response here?"""
    if surface in ("mine", "search", "api_v2_list"):
        # Site-wide listings at the person's own host list only that site's hearings.
        return own
    if surface in ("page", "index", "api_v2_detail"):
        return own or role == "superuser"
    if surface == "api_v1_list":
        return own and role == "employee"
    if surface == "api_v1_detail":
        return role == "superuser" or (own and role in ("employee", "moderator"))
    if surface in ("responses_listing", "inspect", "csv"):
        return role == "superuser" or (own and role == "moderator")
    if surface in ("dashboard", "operations_export"):
        return role == "superuser" or (own and role in ("moderator", "editor"))
    if surface == "file":
        # An employee of the audience, or staff of the hearing's municipality.
        return role == "superuser" or own
    if surface in ("api_v2_pages", "api_v2_hearing_at_own_host"):
        # Wagtail's API serves the site of the host asked.
        return own
    if surface in ("audit", "operations_mail", "outbox", "exports"):
        return role == "superuser" or (own and role == "officer")
    if surface == "departments":
        return role == "superuser" or (own and role in ("editor", "officer"))
    raise AssertionError(surface)


def path_of(page):
    return page.get_url_parts()[2]


def ask(client, surface, world, target):
    """GET ``surface`` about municipality ``target``'s things; return (status, text, wanted)."""
    hearing = world["hearings"][target]
    response = world["responses"][target]
    own_host = HOSTS["agora"]
    title = hearing.title
    if surface == "page":
        answer = client.get(path_of(hearing), HTTP_HOST=HOSTS[target])
    elif surface == "index":
        answer = client.get(path_of(world["indexes"][target]), HTTP_HOST=HOSTS[target])
    elif surface == "mine":
        answer = client.get("/", HTTP_HOST=own_host)
        title = world["public"][target].title
    elif surface == "search":
        answer = client.get("/search/", {"q": "høring"}, HTTP_HOST=own_host)
    elif surface == "api_v2_list":
        answer = client.get(
            "/api/v2/pages/",
            {"type": "hearings.HearingPage", "fields": "title"},
            HTTP_HOST=own_host,
        )
    elif surface == "api_v2_detail":
        answer = client.get(f"/api/v2/pages/{hearing.pk}/", HTTP_HOST=HOSTS[target])
    elif surface == "api_v1_list":
        answer = client.get("/api/v1/responses", HTTP_HOST=own_host)
        title = response.reference
    elif surface == "api_v1_detail":
        answer = client.get(f"/api/v1/responses/{response.pk}", HTTP_HOST=own_host)
        title = response.reference
    elif surface == "responses_listing":
        answer = client.get(reverse("hearing_responses:index"), HTTP_HOST=own_host)
        title = response.reference
    elif surface == "inspect":
        url = reverse("hearing_responses:inspect", args=[response.pk])
        answer = client.get(url, HTTP_HOST=own_host)
        title = response.reference
    elif surface == "csv":
        url = reverse("hearing_responses:export", args=[hearing.pk, "csv"])
        answer = client.get(url, HTTP_HOST=own_host)
        title = response.reference
    elif surface == "dashboard":
        answer = client.get("/admin/", HTTP_HOST=own_host)
    elif surface == "file":
        answer = client.get(world["documents"][target].url, HTTP_HOST=own_host)
        title = "%PDF"
    elif surface == "api_v2_pages":
        answer = client.get("/api/v2/pages/", HTTP_HOST=own_host)
        title = world["public"][target].title
    elif surface == "api_v2_hearing_at_own_host":
        answer = client.get(f"/api/v2/hearings/{world['public'][target].pk}/", HTTP_HOST=own_host)
        title = world["public"][target].title
    elif surface == "audit":
        answer = client.get(reverse("agora_audit_report"), HTTP_HOST=own_host)
        title = response.reference
    elif surface == "operations_mail":
        answer = client.get("/admin/", HTTP_HOST=own_host)
        title = f"Mail-fejl-{target}"
    elif surface == "operations_export":
        answer = client.get("/admin/", HTTP_HOST=own_host)
        title = f"ESDH-fejl-{target}"
    elif surface == "outbox":
        answer = client.get(reverse("outbox:index"), HTTP_HOST=own_host)
        title = f"Mail-fejl-{target}"
    elif surface == "exports":
        answer = client.get(reverse("hearing_exports:index"), HTTP_HOST=own_host)
        title = f"ESDH-fejl-{target}"
    elif surface == "departments":
        answer = client.get(
            reverse("wagtailsnippets_hearings_department:list"), HTTP_HOST=own_host
        )
        title = f"{target} kommune"
    return answer, title


def text_of(answer):
    if hasattr(answer, "streaming_content"):
        return b"".join(answer.streaming_content).decode()
    return answer.content.decode()


SURFACES = [
    "page",
    "index",
    "mine",
    "search",
    "api_v2_list",
    "api_v2_detail",
    "api_v1_list",
    "api_v1_detail",
    "responses_listing",
    "inspect",
    "csv",
    "dashboard",
    "file",
    "api_v2_pages",
    "api_v2_hearing_at_own_host",
    "audit",
    "operations_mail",
    "operations_export",
    "outbox",
    "exports",
    "departments",
]


@pytest.mark.django_db
@pytest.mark.parametrize("muni", MUNIS)
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_its_own_municipality(client, two_sites, role, surface, muni):
    target = "agora" if muni == "own" else OTHER["agora"]
    client.force_login(two_sites["users"][(role, "agora")])
    answer, wanted = ask(client, surface, two_sites, target)
    text = text_of(answer) if answer.status_code == 200 else ""
    if expected(surface, role, muni == "own"):
        assert answer.status_code == 200, (answer.status_code, text[:300])
        assert wanted in text
    else:
        assert answer.status_code in (200, 302, 403, 404)
        assert wanted not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["moderator", "editor", "employee"])
def test_nabo_people_see_nabo_and_not_agora(client, two_sites, role):
    """The same from the other side: Nabo's people at nabo.localhost."""
    client.force_login(two_sites["users"][(role, "nabo")])
    nabo, agora = two_sites["hearings"]["nabo"], two_sites["hearings"]["agora"]
    index = client.get(path_of(two_sites["indexes"]["nabo"]), HTTP_HOST=HOSTS["nabo"])
    assert nabo.title in index.content.decode()
    search = client.get("/search/", {"q": "høring"}, HTTP_HOST=HOSTS["nabo"]).content.decode()
    assert nabo.title in search and agora.title not in search
    home = client.get("/", HTTP_HOST=HOSTS["nabo"]).content.decode()
    assert two_sites["public"]["nabo"].title in home
    assert two_sites["public"]["agora"].title not in home
    agora_response = two_sites["responses"]["agora"]
    assert client.get(f"/api/v1/responses/{agora_response.pk}").status_code == 404
