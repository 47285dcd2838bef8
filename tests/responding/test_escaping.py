"""What people type is shown as text, never run as markup."""

import uuid

import pytest

from hearings.models import HearingResponse

from .conftest import valid_post

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def route(hearing, name, response):
    return hearing.url + hearing.reverse_subpage(name, args=[response.pk])


def assert_escaped(html):
    assert EVIL not in html
    assert ESCAPED in html


def test_a_script_answer_is_rendered_escaped_everywhere(client, open_hearing, audience):
    client.force_login(audience["employee"])

    # In a draft being resumed.
    client.post(
        open_hearing.url,
        {"token": str(uuid.uuid4()), "action": "draft", "q-short": EVIL, "q-long": EVIL},
    )
    assert_escaped(client.get(open_hearing.url).content.decode())

    # In the form shown again with errors.
    invalid = client.post(
        open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": EVIL, "q-single": None})
    )
    assert_escaped(invalid.content.decode())

    # On the receipt, the amend form and the amendment history.
    client.post(
        open_hearing.url,
        valid_post(
            uuid.uuid4(),
            **{
                "q-short": EVIL,
                "q-long": EVIL,
                "q-behalf": "organisation",
                "q-behalf-name": EVIL,
            },
        ),
    )
    response = HearingResponse.objects.get()
    assert response.answers["long"]["value"] == EVIL  # stored as typed
    assert_escaped(client.get(route(open_hearing, "receipt", response)).content.decode())
    assert_escaped(client.get(route(open_hearing, "amend", response)).content.decode())
    client.post(
        route(open_hearing, "amend", response),
        valid_post(uuid.uuid4(), **{"q-short": "Ny titel", "q-long": EVIL + "!"}),
    )
    receipt = client.get(route(open_hearing, "receipt", response)).content.decode()
    assert_escaped(receipt)
    assert "Ny titel" in receipt

    # On the hearing page and "my hearings".
    assert EVIL not in client.get(open_hearing.url).content.decode()
    assert EVIL not in client.get("/").content.decode()
