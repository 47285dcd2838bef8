"""'My hearings': what I am invited to, open first, and my answers with their status."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from hearings import responding

pytestmark = pytest.mark.django_db

ANSWERS = {"short": {"type": "short_text", "label": "Din titel", "value": "Pædagog"}}


def test_my_hearings_lists_invitations_open_first_and_my_answers_with_links(
    client, make_hearing, departments, open_hearing, audience
):
    now = timezone.now()
    soon = make_hearing(
        title="Snart slut", departments=[departments["kommune"]], closes_at=now + timedelta(days=2)
    )
    make_hearing(
        title="Kommer senere",
        departments=[departments["kommune"]],
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=9),
    )
    make_hearing(title="Ikke for dig", departments=[departments["other"]])
    employee = audience["employee"]
    answer = responding.submit(
        employee, open_hearing, ANSWERS, token=uuid.uuid4(), send_receipt=False
    ).response
    responding.save_draft(employee, soon, ANSWERS)

    client.force_login(employee)
    html = client.get("/").content.decode()
    assert "Ikke for dig" not in html
    # Open hearings first, nearest deadline first, then upcoming ones.
    assert html.index("Snart slut") < html.index("Hjemmearbejde") < html.index("Kommer senere")
    assert answer.reference in html
    assert "Your draft is saved." in html
    assert answer.page_path("amend") in html
    assert answer.page_path("withdraw") in html
    assert "Submitted" in html and "Draft" in html

    responding.withdraw(employee, answer)
    html = client.get("/").content.decode()
    assert "Withdrawn" in html
    assert answer.page_path("amend") not in html
