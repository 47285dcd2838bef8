"""Responses received outside Agora: the hearing's owner or a moderator registers a letter or
an e-mail, and it joins the responses, reports, exports and case file like any other,
marked as registered by staff. Bad input is refused with a clear message, keeping what was
typed and the files already uploaded; nothing ever answers 500."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import ModelLogEntry

from hearings import access, moderation, registering, reports
from hearings.errors import Refused
from hearings.exports import pdf, tabular
from hearings.models import (
    Channel,
    HearingResponse,
    HearingType,
    ResponseAttachment,
    ResponseStatus,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def letter(**changes):
    values = {
        "channel": Channel.LETTER,
        "sender_name": "Lise Andersen",
        "sender_organisation": "Handicaprådet",
        "received_at": timezone.now() - timedelta(days=1),
        "text": "Rådet ønsker flere handicapparkeringspladser.",
    }
    values.update(changes)
    return registering.Registration(**values)


def register_url(hearing):
    return reverse("hearing_responses:register", args=[hearing.pk])


def form_data(**changes):
    data = {
        "channel": "letter",
        "sender_name": "Lise Andersen",
        "sender_organisation": "Handicaprådet",
        "received_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "text": "Rådet ønsker flere handicapparkeringspladser.",
    }
    data.update(changes)
    return data


# The service --------------------------------------------------------------------------


def test_a_registered_letter_is_a_response_like_any_other_marked_as_registered(
    hearing, people, response
):
    upload = SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf")
    [attachment], errors = registering.stash_uploads(people["moderator"], hearing, [upload])
    assert errors == []
    outcome = registering.register(
        people["moderator"], hearing, letter(), attachment_ids=[attachment.pk]
    )
    registered = outcome.response
    assert not outcome.export_requested  # the hearing is open: filed when it closes

    assert registered.respondent is None
    assert registered.status == ResponseStatus.SUBMITTED
    assert registered.reference.endswith("-0002")  # after the employee's answer
    assert (registered.sender_name, registered.sender_organisation) == (
        "Lise Andersen",
        "Handicaprådet",
    )
    assert registered.registered_by == people["moderator"] and registered.registered_at
    assert registered.on_behalf_of_display() == "En organisation: Handicaprådet"
    assert list(registered.current_attachments()) == [attachment]
    assert registered.answers[registering.TEXT_KEY]["label"] == "Høringssvarets tekst"
    assert registered.revisions.get().created_by == people["moderator"]
    assert ModelLogEntry.objects.filter(
        action=registering.REGISTER, user=people["moderator"]
    ).exists()

    # It is among the responses staff handle, counted, exported and printed.
    assert registered in access.moderated_responses(people["owner"])
    summary = reports.summary(hearing)
    assert summary["total"] == 2
    assert {bar.label: bar.count for bar in summary["charts"][1].bars} == {
        "Team": 1,
        "Handicaprådet": 1,
    }
    text = "".join(tabular.csv_chunks(hearing)).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    row = dict(zip(header, next(r for r in rows if r[0] == registered.reference), strict=True))
    assert "Lise Andersen" in row.values() and "Handicaprådet" in row.values()
    [note] = [value for value in row.values() if value.startswith("Brev, registreret af Mads ")]
    # Written as the export's other dates are ("2. december 2026 10:15"), not in ISO.
    when = timezone.localtime(registered.registered_at)
    assert note.endswith(date_format(when, "DATETIME_FORMAT"))
    assert when.strftime("%Y-%m-%d") not in note
    assert "Rådet ønsker flere handicapparkeringspladser." in row.values()
    html = pdf.responses_html(hearing)
    assert registered.reference in html and "Lise Andersen" in html


def test_a_registered_response_is_never_approved_automatically_but_can_be_published(
    hearing, people
):
    hearing.hearing_type = HearingType.objects.create(name="Hurtig", auto_approve=True)
    hearing.save()
    registered = registering.register(people["owner"], hearing, letter()).response
    assert registered.status == ResponseStatus.SUBMITTED
    moderation.approve(people["moderator"], registered)
    [shown] = moderation.published_responses(hearing)
    assert shown["reference"] == registered.reference


def test_a_letter_with_a_cpr_number_is_flagged_sensitive(hearing, people):
    registered = registering.register(
        people["owner"], hearing, letter(text="Mit CPR-nummer er 010190-1234.")
    ).response
    assert registered.sensitive


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sender_name": "  "}, "afsenderens navn"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "fremtiden"),
        ({"text": ""}, "Skriv høringssvarets tekst"),
        ({"channel": "fax"}, "Vælg, hvordan"),
        ({"text": "x" * (registering.MAX_TEXT_LENGTH + 1)}, "for lang"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_stored(hearing, people, changes, message):
    with pytest.raises(Refused, match=message):
        registering.register(people["owner"], hearing, letter(**changes))
    assert not HearingResponse.objects.exists()


def test_only_the_owner_and_moderators_register_responses(
    hearing, people, make_hearing, departments
):
    for who in ("employee", "editor", "other_owner"):
        with pytest.raises(Refused) as refused:
            registering.register(people[who], hearing, letter())
        assert refused.value.code == Refused.FORBIDDEN
    draft = make_hearing(hearing_owner=people["owner"], live=False)
    with pytest.raises(Refused, match="ikke offentliggjort"):
        registering.register(people["owner"], draft, letter())
    assert not HearingResponse.objects.exists()


def test_nobody_registers_someone_elses_upload(hearing, people):
    upload = SimpleUploadedFile("brev.pdf", PDF)
    [theirs], __ = registering.stash_uploads(people["moderator"], hearing, [upload])
    registered = registering.register(
        people["owner"], hearing, letter(), attachment_ids=[theirs.pk]
    ).response
    assert not registered.attachments.exists()  # only the owner's own uploads are taken
    theirs.refresh_from_db()
    assert theirs.response is None


# The admin form -----------------------------------------------------------------------


def test_the_overview_links_to_the_form_which_only_handlers_reach(client, hearing, people):
    client.force_login(people["owner"])
    overview = client.get(reverse("hearing_responses:hearing", args=[hearing.pk]))
    assert register_url(hearing) in overview.content.decode()
    page = client.get(register_url(hearing))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Registrér et høringssvar modtaget pr. e-mail eller brev" in content
    assert 'type="datetime-local"' in content and 'enctype="multipart/form-data"' in content

    # Wagtail answers a refused admin view by sending the person to the dashboard.
    client.force_login(people["other_owner"])
    refused = client.get(register_url(hearing))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert client.post(register_url(hearing), form_data()).status_code == 302
    assert client.get(reverse("hearing_responses:register", args=[999999])).status_code == 404
    client.force_login(people["employee"])
    assert client.get(register_url(hearing)).status_code in (302, 403)  # no admin access
    assert not HearingResponse.objects.exists()


def test_a_moderator_registers_a_letter_with_an_attachment(client, hearing, people):
    client.force_login(people["moderator"])
    data = form_data(files=SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf"))
    answer = client.post(register_url(hearing), data)
    registered = HearingResponse.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("hearing_responses:inspect", args=[registered.pk])
    assert registered.channel == Channel.LETTER and registered.registered_by == people["moderator"]
    assert [a.name for a in registered.current_attachments()] == ["brev.pdf"]
    inspect = client.get(answer["Location"]).content.decode()
    assert "Lise Andersen" in inspect and "Brev, registreret af Mads" in inspect


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_at": "i går"}, "Indtast gyldig dato/tid"),
        ({"received_at": "2999-01-01T10:00"}, "fremtiden"),
        ({"received_at": ""}, "Dette felt er påkrævet"),
        ({"sender_name": ""}, "Dette felt er påkrævet"),
        ({"sender_name": "Lise\x00"}, "Null-tegn er ikke tilladt"),
        ({"channel": "fax"}, "Marker en gyldig valgmulighed"),
        ({"text": ""}, "Skriv høringssvarets tekst"),
        ({"text": "x" * (registering.MAX_TEXT_LENGTH + 1)}, "højst have 100000 tegn"),
        ({"keep": "999999"}, "Marker en gyldig valgmulighed"),
    ],
)
def test_bad_input_is_refused_clearly_and_keeps_what_was_typed(
    client, hearing, people, changes, message
):
    client.force_login(people["owner"])
    page = client.post(register_url(hearing), form_data(**changes))
    assert page.status_code == 200
    content = page.content.decode()
    assert message in content, content
    assert "alt, hvad du har skrevet, er bevaret" in content
    assert "Handicaprådet" in content  # what was typed is still there
    assert not HearingResponse.objects.exists()


def test_a_refused_file_is_named_and_a_good_one_is_kept_for_the_next_try(client, hearing, people):
    client.force_login(people["owner"])
    good = SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00\x03", content_type="application/pdf")
    page = client.post(register_url(hearing), form_data(sender_name="", files=[good, bad]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "virus.exe" in content and "ikke en tilladt filtype" in content
    [kept] = ResponseAttachment.objects.filter(response__isnull=True)
    assert f'value="{kept.pk}"' in content and "checked" in content

    answer = client.post(register_url(hearing), form_data(keep=str(kept.pk)))
    assert answer.status_code == 302
    registered = HearingResponse.objects.get()
    assert list(registered.current_attachments()) == [kept]


def test_a_draft_hearing_says_why_and_stores_nothing(client, people, make_hearing):
    draft = make_hearing(hearing_owner=people["owner"], live=False)
    client.force_login(people["owner"])
    page = client.get(register_url(draft))
    assert page.status_code == 200 and "ikke offentliggjort" in page.content.decode()
    answer = client.post(register_url(draft), form_data(files=SimpleUploadedFile("brev.pdf", PDF)))
    assert answer.status_code == 200
    assert not HearingResponse.objects.exists() and not ResponseAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused_by_name_and_nothing_is_stored(
    client, hearing, people, settings
):
    settings.AGORA_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(people["owner"])
    big = SimpleUploadedFile("stort.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    page = client.post(register_url(hearing), form_data(files=big))
    content = page.content.decode()
    assert page.status_code == 200
    assert "stort.pdf" in content and "for stor" in content
    assert "Rådet ønsker flere handicapparkeringspladser." in content
    assert not HearingResponse.objects.exists() and not ResponseAttachment.objects.exists()


def test_markup_in_a_letter_is_shown_as_text(client, hearing, people):
    client.force_login(people["owner"])
    script = "<script>alert('x')</script>"
    answer = client.post(
        register_url(hearing), form_data(sender_name=script, text=f"Hej {script}")
    )
    assert answer.status_code == 302
    inspect = client.get(answer["Location"]).content.decode()
    assert script not in inspect
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in inspect
    assert script not in pdf.responses_html(hearing)


def test_the_responses_listing_names_the_sender_of_a_registered_letter(client, people, hearing):
    registering.register(people["owner"], hearing, letter())
    client.force_login(people["moderator"])
    listing = client.get(reverse("hearing_responses:index")).content.decode()
    assert "Lise Andersen" in listing
    assert "Handicaprådet" in listing
