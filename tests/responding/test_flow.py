"""The whole story through the browser's eyes (Django's test client)."""

import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from hearings.models import HearingResponse, ResponseStatus

from .conftest import pdf_bytes, valid_post

pytestmark = pytest.mark.django_db


def page_path(hearing, route="", *args):
    if not route:
        return hearing.url
    return hearing.url + hearing.reverse_subpage(route, args=args)


def test_an_employee_answers_with_every_question_type_and_a_file_then_amends_and_withdraws(
    client, open_hearing, audience, django_capture_on_commit_callbacks
):
    employee = audience["employee"]
    client.force_login(employee)

    page = client.get(open_hearing.url)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("q-behalf", "q-short", "q-long", "q-single", "q-multi", "q-scale"):
        assert f'name="{field}"' in html
    for field in ("q-yesno", "q-files", "q-consent"):
        assert f'name="{field}"' in html
    assert "Dit svar kan blive offentliggjort." in html  # the consent text
    assert "Helt uenig" in html and "Helt enig" in html  # the scale's end labels

    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile("høringssvar.pdf", pdf_bytes(), "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the receipt leaves on commit
        answered = client.post(open_hearing.url, data)
    assert answered.status_code == 302

    response = HearingResponse.objects.get(respondent=employee)
    assert response.status == ResponseStatus.SUBMITTED
    assert re.fullmatch(rf"H-\d{{4}}-{open_hearing.pk:04d}-0001", response.reference)
    assert answered.url == response.page_path("receipt")
    assert response.answers["single"]["value"] == "two"
    assert response.answers["single"]["display"] == "To dage"
    assert response.answers["multi"]["value"] == ["pc", "screen"]
    assert response.answers["scale"]["value"] == 4
    assert response.answers["consent"]["consent_version"] == 1
    attachment = response.current_attachments().get()
    assert attachment.name == "høringssvar.pdf"

    receipt = client.get(answered.url)
    assert response.reference in receipt.content.decode()
    assert "To dage" in receipt.content.decode()
    assert len(mail.outbox) == 1
    assert response.reference in mail.outbox[0].subject
    assert response.reference in mail.outbox[0].body
    assert mail.outbox[0].to == [employee.email]

    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()

    # The hearing page now shows the answer instead of the form.
    again = client.get(open_hearing.url).content.decode()
    assert response.reference in again
    assert 'name="q-short"' not in again

    amend_path = page_path(open_hearing, "amend", response.pk)
    form = client.get(amend_path).content.decode()
    assert 'value="Pædagog"' in form
    amended = client.post(
        amend_path,
        valid_post(uuid.uuid4(), **{"q-short": "Leder", "q-files-keep": str(attachment.pk)}),
    )
    assert amended.status_code == 302
    response.refresh_from_db()
    assert response.answers["short"]["value"] == "Leder"
    assert response.current_attachments().count() == 1
    amendment = response.revisions.get(number=2)
    assert amendment.changes == {
        "short": {"label": "Din titel", "before": "Pædagog", "after": "Leder"}
    }
    assert "Leder" in client.get(answered.url).content.decode()

    withdrawn = client.post(page_path(open_hearing, "withdraw", response.pk))
    assert withdrawn.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.WITHDRAWN
    assert [r.kind for r in response.revisions.all()] == ["submitted", "amended", "withdrawn"]

    # After withdrawing, the form is offered again.
    assert 'name="q-short"' in client.get(open_hearing.url).content.decode()


def test_the_receipt_reads_the_answers_in_the_reader_s_language(client, open_hearing, audience):
    """An answer given in Danish showed "Givet", "Ja" and "Mig selv" on the English
    receipt (and an English one would have put English into the Danish exports)."""
    from django.conf import settings
    from django.utils import translation

    from hearings.blocks.questions import answer_text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(audience["employee"])
    assert client.post(open_hearing.url, valid_post(uuid.uuid4())).status_code == 302
    response = HearingResponse.objects.get()
    receipt = page_path(open_hearing, "receipt", response.pk)
    danish = client.get(receipt).content.decode()
    for word in (
        "<dd> Mig selv </dd>",
        "<dd> Ja </dd>",
        "<dd> Givet </dd>",
        "<dd> 4 på en skala fra 1 til 5 </dd>",
    ):
        assert word in " ".join(danish.split()), word
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = " ".join(client.get(receipt).content.decode().split())
    for word in (
        "<dd> Myself </dd>",
        "<dd> Yes </dd>",
        "<dd> Given </dd>",
        "<dd> 4 on a scale from 1 to 5 </dd>",
    ):
        assert word in english, word
    # Exports and the case file read them in Danish, whichever language answered.
    with translation.override("da"):
        read = {answer_text(answer) for answer in response.answers.values()}
    assert read >= {"Ja", "Givet", "Mig selv"}
