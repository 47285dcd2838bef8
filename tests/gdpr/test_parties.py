"""Hearing parties and a person's data: the export lists the parties a person is a
contact of (by account and by address); erasure takes them off the parties, keeps the
party's own answer the party's, and the audit entry counts it."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from hearings import audit, gdpr
from hearings.models import HearingParty, HearingResponse, PartyKind
from tests.gdpr.conftest import submit
from tests.gdpr.test_personal_data import open_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(people):
    emma = people["employee"]
    med = HearingParty.objects.create(
        name="HovedMED",
        kind=PartyKind.MED_COMMITTEE,
        contact_emails=f"tr@fagforening.dk\n{emma.email.upper()}",
    )
    med.contact_users.set([emma, people["colleague"]])
    council = HearingParty.objects.create(
        name="Handicaprådet", kind=PartyKind.COUNCIL, contact_emails=emma.email
    )
    other = HearingParty.objects.create(name="Ældrerådet", contact_emails="x@ex.dk")
    other.contact_users.set([people["colleague"]])
    return {"med": med, "council": council, "other": other}


def test_the_export_lists_the_parties_the_person_is_a_contact_of(people, parties):
    archive, data = open_zip(gdpr.export_zip(people["employee"]))
    rows = {row["name"]: row for row in data["hearing_parties"]}
    assert set(rows) == {"HovedMED", "Handicaprådet"}
    assert rows["HovedMED"]["contact_by_account"] is True
    assert rows["HovedMED"]["contact_email"] == people["employee"].email
    assert rows["Handicaprådet"]["contact_by_account"] is False
    assert "tr@fagforening.dk" not in archive.read("data.json").decode()
    assert "x@ex.dk" not in archive.read("data.json").decode()


def test_erasure_takes_the_person_off_every_party(people, parties, hearing):
    emma = people["employee"]
    address = emma.email
    response = submit(emma, hearing, with_file=False)
    HearingResponse.objects.filter(pk=response.pk).update(
        party=parties["med"], on_behalf_of_name="HovedMED"
    )
    report = gdpr.erase_person(emma, by=people["admin"])
    assert report.party_contacts_removed == 2
    med, council = (HearingParty.objects.get(pk=parties[k].pk) for k in ("med", "council"))
    assert list(med.contact_users.all()) == [people["colleague"]]
    assert med.emails == ["tr@fagforening.dk"] and council.emails == []
    other = HearingParty.objects.get(pk=parties["other"].pk)
    assert other.emails == ["x@ex.dk"] and other.contact_users.count() == 1
    # The party's answer stays the party's, without the person.
    response.refresh_from_db()
    assert response.party_id == parties["med"].pk
    assert address not in str(HearingParty.objects.values_list("contact_emails", flat=True))
    entry = ModelLogEntry.objects.filter(action=audit.ERASURE).latest("timestamp")
    assert entry.data["party_contacts_removed"] == 2
    assert "2 hearing part" in gdpr.erasure_summary(report)


def test_the_command_erases_the_party_contact_too(people, parties):
    out = StringIO()
    call_command("erase_personal_data", "emma", "--no-input", stdout=out)
    assert not HearingParty.objects.filter(contact_users=people["employee"]).exists()
    assert "hearing part" in out.getvalue()
