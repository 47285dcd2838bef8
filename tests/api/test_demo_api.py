"""The demo through the API: every hearing an employee sees reads, the outsider's does not."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from hearings.models import HearingPage

pytestmark = pytest.mark.django_db


def test_the_demo_hearings_read_through_the_api_for_their_audience(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    users = get_user_model().objects
    client.force_login(users.get(username="admin"))
    everything = client.get("/api/v2/hearings/").json()
    # The API serves the requested site's hearings: Agora Kommune's, not Nabo Kommune's.
    agora = Site.objects.get(is_default_site=True).root_page
    assert everything["meta"]["total_count"] == (
        HearingPage.objects.live().descendant_of(agora).count()
    )
    for item in everything["items"]:
        detail = client.get(f"/api/v2/hearings/{item['id']}/?fields=*")
        assert detail.status_code == 200, detail.content
        assert detail.json()["phase"] in {"upcoming", "open", "closed", "concluded"}

    client.force_login(users.get(username="employee3"))
    seen = {item["id"] for item in client.get("/api/v2/hearings/").json()["items"]}
    assert seen < {item["id"] for item in everything["items"]}
    assert client.get("/api/v1/responses").json()  # employee3 answered the closed hearing
