"""The links in the mails a municipality's people get lead to their own host, once.

Found walking the demo: a Nabo employee's receipt linked to Agora's host (a 404 there),
and a rejection's link to the hearing held the base address twice."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from hearings.models import Notification

from .conftest import HOSTS

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input[^>]*name="token"[^>]*value="([^"]+)"')


def links(notification):
    """Every address in the mail's text and HTML."""
    text = notification.body_text + "\n" + notification.body_html
    return set(re.findall(r"https?://[^\s\"'<>]+", text))


def follow(client, link, user):
    """Open ``link`` as ``user`` would from the mail: on the host it names."""
    parts = urlsplit(link)
    client.force_login(user)
    return client.get(parts.path, HTTP_HOST=parts.netloc)


@pytest.mark.parametrize("muni", ["agora", "nabo"])
def test_the_receipt_links_to_the_answer_on_the_municipality_s_own_host(
    client, two_sites, muni, django_capture_on_commit_callbacks
):
    employee, hearing = two_sites["users"][("employee", muni)], two_sites["public"][muni]
    path, host = hearing.get_url_parts()[2], HOSTS[muni]
    client.force_login(employee)
    form = client.get(path, HTTP_HOST=host)
    token = TOKEN.search(form.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            path, {"token": token, "q-opinion": "Fint", "on_behalf_of": "myself"}, HTTP_HOST=host
        )
    assert answer.status_code == 302

    receipt = Notification.objects.get(
        kind=Notification.Kind.RESPONSE_RECEIPT, recipient=employee.email
    )
    [link] = {link for link in links(receipt) if "/receipt/" in link}
    assert link == f"http://{host}{answer.url}"
    assert follow(client, link, employee).status_code == 200


@pytest.mark.parametrize("muni", ["agora", "nabo"])
def test_the_rejection_links_to_the_hearing_once_on_the_municipality_s_own_host(
    client, two_sites, muni, django_capture_on_commit_callbacks
):
    response = two_sites["responses"][muni]
    employee, host = response.respondent, HOSTS[muni]
    client.force_login(two_sites["users"][("moderator", muni)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("hearing_responses:reject", args=[response.pk]),
            {"reason": "Svaret hører til en anden høring."},
            HTTP_HOST=host,
        )
    rejection = Notification.objects.get(recipient=employee.email)
    assert "Svaret hører til en anden høring." in rejection.body_text
    path = two_sites["hearings"][muni].get_url_parts()[2]
    assert links(rejection) == {f"http://{host}{path}"}
    assert follow(client, f"http://{host}{path}", employee).status_code == 200
