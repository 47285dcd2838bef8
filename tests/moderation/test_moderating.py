"""A moderator approves, rejects, redacts and flags; every step is in Wagtail's audit log."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from hearings import moderation
from hearings.models import HearingType, Notification, ResponseStatus

from .conftest import answers, submit


def actions_for(response):
    return list(
        ModelLogEntry.objects.filter(object_id=str(response.pk)).values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_a_moderator_approves_from_the_response_page_and_it_is_logged(client, people, response):
    client.force_login(people["moderator"])
    client.post(reverse("hearing_responses:approve", args=[response.pk]))
    response.refresh_from_db()
    assert response.status == ResponseStatus.PUBLISHED
    assert response.moderated_by == people["moderator"]
    entry = ModelLogEntry.objects.get(action=moderation.APPROVE, object_id=str(response.pk))
    assert entry.user == people["moderator"]


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_tells_the_respondent(
    client, people, response, django_capture_on_commit_callbacks
):
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:reject", args=[response.pk])
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        client.post(url, {"reason": "Svaret indeholder personangreb."})
    response.refresh_from_db()
    assert response.status == ResponseStatus.REJECTED
    assert response.rejection_reason == "Svaret indeholder personangreb."
    [message] = mail.outbox
    assert message.to == ["emma@example.dk"]
    assert "Svaret indeholder personangreb." in message.body
    assert response.reference in message.subject
    assert moderation.REJECT in actions_for(response)
    assert Notification.objects.get(recipient="emma@example.dk").status == "sent"


@pytest.mark.django_db
def test_a_redaction_changes_the_published_text_but_keeps_the_answer(client, people, response):
    client.force_login(people["moderator"])
    client.post(
        reverse("hearing_responses:redact", args=[response.pk]),
        {
            "question_id": "opinion",
            "text": "Godt forslag [navn fjernet]",
            "reason": "Navn på kollega",
        },
    )
    response.refresh_from_db()
    assert response.answers["opinion"]["value"] == "Godt forslag"
    [(label, text, redacted), *rest] = moderation.public_answer_rows(response.hearing, response)
    assert (label, text, redacted) == ("Din mening", "Godt forslag [navn fjernet]", True)
    entry = ModelLogEntry.objects.get(action=moderation.REDACT, object_id=str(response.pk))
    assert entry.data["reason"] == "Navn på kollega"
    inspect = client.get(reverse("hearing_responses:inspect", args=[response.pk]))
    assert "Godt forslag [navn fjernet]" in inspect.content.decode()


@pytest.mark.django_db
def test_flagging_a_published_response_takes_it_back_to_moderation(client, people, response):
    moderation.approve(people["moderator"], response)
    client.force_login(people["moderator"])
    client.post(reverse("hearing_responses:flag", args=[response.pk]), {"sensitive": "1"})
    response.refresh_from_db()
    assert response.sensitive
    assert response.status == ResponseStatus.SUBMITTED
    assert moderation.FLAG in actions_for(response)


@pytest.mark.django_db
def test_bulk_approval_skips_responses_flagged_as_sensitive(client, people, hearing, response):
    flagged = submit(people["colleague"], hearing)
    moderation.set_sensitive(people["moderator"], flagged, True)
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:bulk_approve", args=[hearing.pk])
    page = client.get(url)
    assert response.reference in page.content.decode()
    assert flagged.reference not in page.content.decode()
    client.post(url, {"response": [str(response.pk), str(flagged.pk)]})
    response.refresh_from_db()
    flagged.refresh_from_db()
    assert response.status == ResponseStatus.PUBLISHED
    assert flagged.status == ResponseStatus.SUBMITTED


@pytest.mark.django_db
def test_staff_notes_and_tags_are_saved_and_logged(client, people, response):
    client.force_login(people["moderator"])
    client.post(
        reverse("hearing_responses:edit", args=[response.pk]),
        {"staff_notes": "Ring tilbage", "tags": "parkering, trafik"},
    )
    response.refresh_from_db()
    assert response.staff_notes == "Ring tilbage"
    assert sorted(tag.name for tag in response.tags.all()) == ["parkering", "trafik"]
    assert "wagtail.edit" in actions_for(response)


@pytest.mark.django_db
def test_reading_a_response_and_exporting_are_logged(client, people, hearing, response):
    client.force_login(people["owner"])
    client.get(reverse("hearing_responses:inspect", args=[response.pk]))
    assert moderation.VIEW in actions_for(response)
    for kind in ("csv", "xlsx", "pdf"):
        client.get(reverse("hearing_responses:export", args=[hearing.pk, kind]))
    exports = PageLogEntry.objects.filter(page=hearing, action=moderation.EXPORT)
    assert sorted(entry.data["format"] for entry in exports) == ["csv", "pdf", "xlsx"]
    assert {entry.user for entry in exports} == {people["owner"]}


@pytest.mark.django_db
def test_the_audit_report_lists_moderation(client, people, response):
    moderation.approve(people["moderator"], response)
    client.force_login(people["superuser"])
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200
    assert "Godkendte høringssvaret" in report.content.decode()  # the admin speaks Danish


@pytest.mark.django_db
def test_responses_are_approved_automatically_when_the_hearing_type_allows(
    people, hearing, response
):
    assert response.status == ResponseStatus.SUBMITTED  # no type: moderation by hand
    hearing.hearing_type = HearingType.objects.create(name="Intern høring", auto_approve=True)
    hearing.save_revision().publish()
    automatic = submit(people["colleague"], hearing)
    assert automatic.status == ResponseStatus.PUBLISHED
    assert moderation.AUTO_APPROVE in actions_for(automatic)


@pytest.mark.django_db
def test_a_response_that_looks_like_it_holds_a_cpr_number_is_flagged_not_approved(people, hearing):
    hearing.hearing_type = HearingType.objects.create(name="Intern høring", auto_approve=True)
    hearing.save_revision().publish()
    flagged = submit(people["employee"], hearing, answers(opinion="Mit cpr er 010203-1234"))
    assert flagged.sensitive
    assert flagged.status == ResponseStatus.SUBMITTED


@pytest.mark.django_db
def test_a_rejected_answer_is_shown_to_its_respondent_as_not_published_with_the_reason(
    client, people, response
):
    """Was a green "You have answered this hearing … Status: Afvist", and the receipt
    kept the reason to the mail."""
    moderation.reject(people["moderator"], response, "Svaret hører til en anden høring.")
    client.force_login(people["employee"])
    page = client.get(response.hearing.url).content.decode()
    assert "alert-success" not in page
    assert "Dit svar blev ikke offentliggjort" in page
    assert "Svaret hører til en anden høring." in page
    receipt = client.get(response.page_path()).content.decode()
    assert "<dt>Begrundelse for afvisning</dt><dd>Svaret hører til en anden høring.</dd>" in (
        receipt
    )
