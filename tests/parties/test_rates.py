"""Response rates: per department with the departments below it, per party, overall."""

import uuid

import pytest

from hearings import rates, responding
from hearings.models import Channel, HearingResponse, ResponseStatus

pytestmark = pytest.mark.django_db


def submit(user, hearing, party=None):
    return responding.submit(
        user, hearing, {}, token=uuid.uuid4(), party=party, send_receipt=False
    ).response


def test_rates_count_sub_departments_parties_and_each_person_once(
    make_hearing, departments, cast, parties, make_user
):
    make_user("team2", departments["team"])
    hearing = make_hearing(departments=[departments["center"], departments["team"]])
    hearing.invited_parties.set([parties["hovedmed"], parties["handicap"]])
    hearing.save()
    submit(cast["team"], hearing)  # team1 answers as themselves
    submit(parties["both"], hearing, party=parties["handicap"])

    status = rates.response_rates(hearing)
    by_name = {row.department.name: row for row in status.departments}
    # Center: center1, team1, team2 (the team is below the center); Team: team1, team2.
    assert (by_name["Center"].invited, by_name["Center"].answered) == (3, 1)
    assert (by_name["Team"].invited, by_name["Team"].answered) == (2, 1)
    assert by_name["Center"].rate == 33
    # Each employee once overall, though the team is invited twice.
    assert (status.employees_invited, status.employees_answered) == (3, 1)
    parties_answered = {row.party.name: row.answered for row in status.parties}
    assert parties_answered == {"HovedMED": False, "Handicaprådet": True}
    # "both" is in two parties: their answer counts for Handicaprådet only.
    assert (status.invited, status.answered) == (5, 2)
    assert status.rate == 40
    assert [u.username for u in status.not_answered_users] == ["center1", "team2"]
    assert [row.party.name for row in status.not_answered_parties] == ["HovedMED"]


def test_a_withdrawn_answer_does_not_count_and_a_registered_letter_does(
    make_hearing, departments, cast, parties
):
    hearing = make_hearing(departments=[departments["center"]])
    hearing.invited_parties.set([parties["hovedmed"]])
    hearing.save()
    response = submit(cast["center"], hearing)
    responding.withdraw(cast["center"], response)
    HearingResponse.objects.create(
        hearing=hearing,
        status=ResponseStatus.SUBMITTED,
        reference="H-REG-1",
        sequence=99,
        channel=Channel.LETTER,
        sender_name="TR",
        party=parties["hovedmed"],
    )
    status = rates.response_rates(hearing)
    assert status.employees_answered == 0
    assert status.parties_answered == 1


def test_the_dashboard_shows_open_hearings_parties_answered(
    client, make_hearing, departments, cast, parties
):
    hearing = make_hearing(title="Høring om parkering", departments=[departments["center"]])
    hearing.invited_parties.set([parties["hovedmed"], parties["handicap"]])
    hearing.save()
    submit(parties["both"], hearing, party=parties["handicap"])
    client.force_login(cast["admin"])
    page = client.get("/admin/").content.decode()
    panel = page.split("agora-response-rates", 1)[1]
    assert "Høring om parkering" in panel
    assert "1 / 2" in panel


def test_the_not_answered_screen_lists_people_and_parties_and_reminds(
    client, make_hearing, departments, cast, parties
):
    hearing = make_hearing(departments=[departments["center"]])
    hearing.invited_parties.set([parties["hovedmed"]])
    hearing.save()
    client.force_login(cast["admin"])
    url = f"/admin/responses/hearing/{hearing.pk}/not-answered/"
    page = client.get(url).content.decode()
    assert "center1" in page and "HovedMED" in page and "tr@fagforening.dk" in page
    client.post(f"/admin/responses/hearing/{hearing.pk}/remind/")
    again = client.post(f"/admin/responses/hearing/{hearing.pk}/remind/", follow=True)
    assert "allerede sendt en påmindelse i dag" in again.content.decode()
    assert hearing.manual_reminders.count() == 1
