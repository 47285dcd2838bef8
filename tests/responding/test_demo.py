"""The demo: an open hearing with every question type, a closed one with answers."""

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from hearings.blocks.questions import ResponseFormBlock
from hearings.models import HearingPage, HearingResponse, ResponseStatus

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def snapshot():
    closed = HearingPage.objects.get(slug="ferieplanlaegning")
    return [
        (
            r.respondent.username if r.respondent else r.sender_name,
            r.reference,
            r.status,
            r.answers,
            r.revisions.count(),
        )
        for r in closed.responses.order_by("sequence")
    ]


def test_the_demo_has_every_question_type_and_answers_and_is_idempotent(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first
    # Three employees answered in Agora; letters from HovedMED and Handicaprådet were
    # registered by staff (hearings.demo.build_demo_parties).
    assert [who for who, *__ in first] == [
        "employee1",
        "employee2",
        "employee3",
        "Lise Andersen",
        "Birgit Holm",
    ]
    assert all(status == ResponseStatus.SUBMITTED for __, __, status, *__ in first)

    open_hearing = HearingPage.objects.get(slug="hjemmearbejde")
    assert open_hearing.phase == "open"
    kinds = {child.block_type for child in open_hearing.response_form}
    assert kinds == set(ResponseFormBlock.base_blocks.keys())

    # employee3 is outside its audience; employee1 answers it with every question type.
    User = get_user_model()
    client.force_login(User.objects.get(username="employee3"))
    assert client.get(open_hearing.url).status_code == 404

    employee1 = User.objects.get(username="employee1")
    client.force_login(employee1)
    data = {"token": str(uuid.uuid4()), "action": "submit"}
    for child in open_hearing.response_form:
        name = f"q-{child.id}"
        kind = child.block_type
        if kind == "on_behalf_of":
            data[name] = "department"
        elif kind == "short_text":
            data[name] = "Pædagog"
        elif kind == "long_text":
            data[name] = "Godt forslag."
        elif kind in ("single_choice", "multiple_choice"):
            data[name] = child.value["options"].bound_blocks[1].id
        elif kind == "scale":
            data[name] = "5"
        elif kind == "yes_no":
            data[name] = "no"
        elif kind == "file_upload":
            data[name] = SimpleUploadedFile("svar.pdf", pdf_bytes())
        elif kind == "consent":
            data[name] = "on"
    answered = client.post(open_hearing.url, data)
    assert answered.status_code == 302, answered.content.decode()[:3000]
    response = HearingResponse.objects.get(hearing=open_hearing, respondent=employee1)
    assert response.on_behalf_of_display() == "My department: Dagtilbud"
    assert response.current_attachments().count() == 1
    assert len([a for a in response.answers.values() if a["value"] not in ("", [], None)]) == 9
