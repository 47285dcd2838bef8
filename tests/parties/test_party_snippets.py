"""Hearing parties in the admin: editors manage them, scoped to their municipality."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from hearings.models import HearingParty

pytestmark = pytest.mark.django_db


def test_hearing_editors_manage_parties(client, make_user, departments):
    editor = make_user("redaktor", departments["center"], groups=["Hearing editors"])
    assert editor.has_perms(["hearings.add_hearingparty", "hearings.change_hearingparty"])
    client.force_login(editor)
    reply = client.post(
        reverse("wagtailsnippets_hearings_hearingparty:add"),
        {
            "name": "Seniorrådet",
            "kind": "council",
            "contact_emails": (
                "Formand@Seniorraad.dk\nformand@seniorraad.dk, kasserer@seniorraad.dk"
            ),
        },
    )
    assert reply.status_code == 302
    party = HearingParty.objects.get(name="Seniorrådet")
    assert party.emails == ["formand@seniorraad.dk", "kasserer@seniorraad.dk"]


def test_another_municipalitys_party_is_neither_listed_nor_invitable(
    client, make_user, departments, make_hearing, site
):
    root = site.root_page
    other_site = Site.objects.create(hostname="nabo.test", root_page=root, site_name="Nabo")
    theirs = HearingParty.objects.create(name="Nabos HovedMED", site=other_site)
    ours = HearingParty.objects.create(name="Vores HovedMED", site=site)
    shared = HearingParty.objects.create(name="Fælles råd")
    editor = make_user("redaktor", departments["center"], groups=["Hearing editors"])
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_hearings_hearingparty:list")).content.decode()
    assert "Vores HovedMED" in listing and "Fælles råd" in listing
    assert "Nabos HovedMED" not in listing
    hearing = make_hearing()
    hearing.invited_parties.set([theirs, ours, shared])
    with pytest.raises(Exception, match="Nabos HovedMED"):
        hearing.full_clean()
