"""Hearing parties: HovedMED and Handicaprådet, with contacts inside and outside the
invited departments, one person in both parties and one address without an account."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hearings.models import HearingParty, PartyKind


@pytest.fixture(autouse=True)
def _esdh_dir(esdh_dir):
    return esdh_dir


@pytest.fixture
def parties(cast, make_user, site):
    """``both`` is a contact of both parties and works in no invited department."""
    both = make_user("both")
    med_only = make_user("medonly")
    hovedmed = HearingParty.objects.create(
        name="HovedMED",
        kind=PartyKind.MED_COMMITTEE,
        site=site,
        contact_emails="tr@fagforening.dk\nBOTH@example.dk",
    )
    hovedmed.contact_users.set([both, med_only, cast["team"]])
    handicap = HearingParty.objects.create(
        name="Handicaprådet", kind=PartyKind.COUNCIL, contact_emails="tr@fagforening.dk"
    )
    handicap.contact_users.set([both])
    return {"hovedmed": hovedmed, "handicap": handicap, "both": both, "med_only": med_only}


@pytest.fixture
def party_hearing(hearing_for, parties):
    """An open hearing for the center (and the team below it) and both parties."""

    def make(**fields):
        hearing = hearing_for(**fields)
        hearing.invited_parties.set([parties["hovedmed"], parties["handicap"]])
        hearing.save()
        return hearing

    return make


@pytest.fixture
def later():
    return timezone.now() + timedelta(days=1)
