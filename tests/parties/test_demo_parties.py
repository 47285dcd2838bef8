"""The demo shows parties, their invitations and answers, themes, comments and a memo."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from docx import Document

from hearings import rates
from hearings.memo.docx import memo_docx
from hearings.models import HearingPage, HearingParty, HearingResponse, Notification


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_invites_hovedmed_and_handicapraadet_and_has_a_memo():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent: nothing twice
    assert sorted(HearingParty.objects.values_list("name", flat=True)) == [
        "Handicaprådet",
        "HovedMED",
    ]
    closed = HearingPage.objects.get(slug="ferieplanlaegning")
    assert closed.phase == "closed"
    status = rates.response_rates(closed)
    assert all(row.answered for row in status.parties)
    invited = Notification.objects.filter(hearing=closed, kind="hearing_opened")
    assert invited.filter(recipient="hovedmed@agora.example").count() == 1
    party_answers = HearingResponse.objects.filter(hearing=closed, party__isnull=False)
    assert party_answers.count() == 2
    assert closed.themes.count() == 3
    assert closed.memo_approved and "HovedMED" in closed.memo
    text = "\n".join(p.text for p in Document(io.BytesIO(memo_docx(closed))).paragraphs)
    for response in HearingResponse.objects.filter(hearing=closed).standing():
        assert response.reference in text
