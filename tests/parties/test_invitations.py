"""Invitations at opening, answering as a party, and the manual reminder."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail.models import PageLogEntry

from hearings import access, invitations, jobs, registering, responding
from hearings.errors import Refused
from hearings.models import Channel, HearingResponse, ManualReminder, Notification

pytestmark = pytest.mark.django_db


def submit(user, hearing, party=None):
    return responding.submit(
        user, hearing, {}, token=uuid.uuid4(), party=party, send_receipt=False
    ).response


def test_each_invited_person_and_party_contact_is_invited_once(party_hearing, parties):
    party_hearing()
    jobs.run_due_jobs()
    jobs.run_due_jobs()
    sent = sorted(m.to[0] for m in mail.outbox)
    # center1 and team1 by department (team1 also a HovedMED contact), both and medonly
    # as contacts, and the address without an account once though it is in two parties;
    # BOTH@example.dk is the user "both", not a second person.
    assert sent == [
        "both@example.dk",
        "center1@example.dk",
        "medonly@example.dk",
        "team1@example.dk",
        "tr@fagforening.dk",
    ]
    to_both = next(m for m in mail.outbox if m.to[0] == "both@example.dk")
    assert "HovedMED" in to_both.body and "Handicaprådet" in to_both.body
    assert "http" in to_both.body  # the link to the hearing
    assert Notification.objects.filter(kind="hearing_opened").count() == 5


def test_a_party_contact_outside_the_departments_sees_and_answers_the_hearing(
    party_hearing, parties
):
    hearing = party_hearing()
    assert access.can_see(parties["both"], hearing)
    assert access.can_respond(parties["both"], hearing)
    assert hearing in access.visible_hearings(parties["both"])


def test_a_party_answers_once_through_one_of_its_contacts(party_hearing, parties, cast):
    hearing = party_hearing()
    response = submit(parties["both"], hearing, party=parties["hovedmed"])
    assert response.party == parties["hovedmed"]
    assert "HovedMED" in response.on_behalf_of_display()
    with pytest.raises(Refused, match="HovedMED har allerede svaret"):
        submit(parties["med_only"], hearing, party=parties["hovedmed"])
    assert HearingResponse.objects.filter(party=parties["hovedmed"]).count() == 1
    # As themselves they still answer.
    assert submit(parties["med_only"], hearing).party is None


def test_a_hearing_may_accept_several_responses_per_party(party_hearing, parties):
    hearing = party_hearing(several_responses_per_party=True)
    submit(parties["both"], hearing, party=parties["hovedmed"])
    submit(parties["med_only"], hearing, party=parties["hovedmed"])
    assert HearingResponse.objects.filter(party=parties["hovedmed"]).count() == 2


def test_only_a_contact_answers_for_a_party(party_hearing, parties, cast):
    hearing = party_hearing()
    with pytest.raises(Refused):
        submit(cast["center"], hearing, party=parties["hovedmed"])
    assert not HearingResponse.objects.filter(hearing=hearing).exists()


def test_an_uninvited_party_cannot_be_answered_for(hearing_for, parties):
    hearing = hearing_for()
    hearing.invited_parties.set([parties["handicap"]])
    hearing.save()
    with pytest.raises(Refused):
        submit(parties["med_only"], hearing, party=parties["hovedmed"])


def test_the_manual_reminder_goes_to_those_who_have_not_answered_once_a_day(
    party_hearing, parties, cast
):
    hearing = party_hearing()
    submit(cast["center"], hearing)
    submit(parties["both"], hearing, party=parties["hovedmed"])
    record = invitations.send_reminder_now(cast["admin"], hearing)
    reminded = sorted(
        Notification.objects.filter(kind="deadline_reminder").values_list("recipient", flat=True)
    )
    # HovedMED answered; Handicaprådet did not: its contacts (both, tr@) are reminded.
    assert reminded == ["both@example.dk", "team1@example.dk", "tr@fagforening.dk"]
    assert record.recipients == 3
    assert PageLogEntry.objects.filter(page=hearing, action=invitations.REMIND).count() == 1

    with pytest.raises(Refused, match="i dag"):
        invitations.send_reminder_now(cast["admin"], hearing)
    assert ManualReminder.objects.filter(hearing=hearing).count() == 1
    assert Notification.objects.filter(kind="deadline_reminder").count() == 3

    tomorrow = timezone.now() + timedelta(days=1)
    invitations.send_reminder_now(cast["admin"], hearing, now=tomorrow)
    assert ManualReminder.objects.filter(hearing=hearing).count() == 2
    assert Notification.objects.filter(kind="deadline_reminder").count() == 6


def test_only_staff_of_the_hearing_send_reminders(party_hearing, cast):
    hearing = party_hearing()
    with pytest.raises(Refused):
        invitations.send_reminder_now(cast["center"], hearing)
    assert not ManualReminder.objects.exists()


def test_no_manual_reminder_after_the_deadline(party_hearing, cast):
    hearing = party_hearing(opens_in=timedelta(days=-9), closes_in=timedelta(days=-1))
    with pytest.raises(Refused):
        invitations.send_reminder_now(cast["admin"], hearing)


def test_staff_register_a_letter_as_a_partys_answer_once(party_hearing, parties, cast):
    hearing = party_hearing()
    letter = registering.Registration(
        channel=Channel.LETTER,
        sender_name="TR",
        sender_organisation="",
        received_at=timezone.now() - timedelta(hours=1),
        text="Vi støtter forslaget.",
        party=parties["handicap"],
    )
    response = registering.register(cast["admin"], hearing, letter).response
    assert response.party == parties["handicap"]
    assert response.on_behalf_of_name == "Handicaprådet"
    with pytest.raises(Refused):
        registering.register(cast["admin"], hearing, letter)
    other = party_hearing(title="Anden høring")
    other.invited_parties.set([parties["hovedmed"]])
    other.save()
    with pytest.raises(Refused):
        registering.register(cast["admin"], other, letter)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_contacts_answering_for_one_party_at_once_store_one_party_answer(
    party_hearing, parties
):
    hearing = party_hearing()
    barrier = threading.Barrier(2)
    outcomes = []

    def answer(user):
        try:
            barrier.wait()
            submit(user, hearing, party=parties["hovedmed"])
            outcomes.append("stored")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(user,))
        for user in (parties["both"], parties["med_only"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "stored"]
    assert HearingResponse.objects.filter(party=parties["hovedmed"]).count() == 1


def test_a_party_s_answer_is_on_behalf_of_the_party_once_on_its_receipt(
    client, party_hearing, parties
):
    """Was "På vegne af: På vegne af HovedMED" on the receipt, the page and the exports."""
    response = submit(parties["both"], party_hearing(), party=parties["hovedmed"])
    assert response.on_behalf_of_display() == "HovedMED"
    client.force_login(parties["both"])
    receipt = client.get(response.page_path()).content.decode()
    assert "På vegne af</dt><dd>HovedMED</dd>" in receipt
    assert "På vegne af HovedMED" not in receipt
