"""Hostile input to hearing parties, "answer as", themes, comments, the theme filters and
the memo: no server error, nothing wrongly stored, text shown escaped and exported safe."""

import io
import uuid

import pytest
from django.urls import reverse
from docx import Document

from hearings.exports.tabular import rows
from hearings.memo.docx import memo_docx
from hearings.models import HearingParty, HearingResponse, HearingTheme, ManualReminder
from tests.responding.conftest import valid_post

from .conftest import signed_in, submit_as

pytestmark = pytest.mark.django_db


def no_server_error(reply):
    assert reply.status_code < 500, reply.content[:500]
    return reply


@pytest.fixture
def party(hearing, people, site):
    party = HearingParty.objects.create(name="HovedMED", site=site)
    party.contact_users.set([people["employee"]])
    hearing.invited_parties.set([party])
    hearing.save()
    return party


BAD_CONTACT_EMAILS = [
    "not-an-address",
    "a@b.dk\n<script>alert(1)</script>@x.dk",
    "x" * 300 + "@example.dk",
    "\n".join(f"p{n}@example.dk" for n in range(60)),  # more than 50
    "a@b.dk\r\nBcc: victim@example.dk",
    '"quoted"@@example.dk',
]


@pytest.mark.parametrize("emails", BAD_CONTACT_EMAILS)
def test_bad_contact_addresses_are_refused(people, emails):
    client = signed_in(people["superuser"])
    reply = no_server_error(
        client.post(
            reverse("wagtailsnippets_hearings_hearingparty:add"),
            {"name": "Råd", "kind": "council", "contact_emails": emails},
        )
    )
    assert reply.status_code == 200  # the form again, with the error
    assert not HearingParty.objects.filter(name="Råd").exists()


PARTY_CHOICES = ["999999", "-1", "1 OR 1=1", "x" * 5000, "", "\u0000"]


@pytest.mark.parametrize("value", PARTY_CHOICES)
def test_a_tampered_answer_as_choice_never_answers_for_a_party(hearing, people, party, value):
    client = signed_in(people["employee"])
    no_server_error(client.post(hearing.url, valid_post(uuid.uuid4(), answer_as_party=value)))
    assert not HearingResponse.objects.filter(party__isnull=False).exists()


BEHALF_LEFT_OVER = [
    {"q-behalf": None, "q-behalf-name": None},  # hidden, so not answered
    {"q-behalf": "department", "q-behalf-name": "Økonomi"},  # not their department
    {"q-behalf": "organisation", "q-behalf-name": ""},
    {"q-behalf": "'; DROP TABLE x; --", "q-behalf-name": "x" * 5000},
    {"q-behalf": "myself", "q-behalf-name": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("behalf", BEHALF_LEFT_OVER)
def test_answering_as_the_party_answers_on_behalf_of_whatever_was_left_in_it(
    hearing, people, party, behalf
):
    """Choosing the party under "Answer as" answers the "on behalf of" question (the
    page hides it): whatever the post left in it is not asked about and not kept."""
    client = signed_in(people["employee"])
    reply = no_server_error(
        client.post(hearing.url, valid_post(uuid.uuid4(), answer_as_party=str(party.pk), **behalf))
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    response = HearingResponse.objects.get(party=party)
    assert (response.on_behalf_of_kind, response.on_behalf_of_name) == ("organisation", "HovedMED")
    assert response.answers["behalf"]["value"] == {"kind": "organisation", "name": "HovedMED"}


def test_answering_as_oneself_still_asks_on_behalf_of(hearing, people, party):
    client = signed_in(people["employee"])
    reply = no_server_error(
        client.post(
            hearing.url,
            valid_post(uuid.uuid4(), answer_as_party="", **{"q-behalf": "organisation"}),
        )
    )
    assert reply.status_code == 200  # the form again, with what was typed and the error
    assert "Pædagog" in reply.content.decode()
    assert not HearingResponse.objects.filter(respondent=people["employee"]).exists()


def test_someone_not_a_contact_cannot_post_as_the_party(hearing, people, party):
    client = signed_in(people["colleague"])
    no_server_error(
        client.post(hearing.url, valid_post(uuid.uuid4(), answer_as_party=str(party.pk)))
    )
    assert not HearingResponse.objects.filter(party=party).exists()


HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example","klik")',
    "+1+2",
    "@SUM(A1)",
    "\u202eevil\u202c",
    "tekst med \x0b lodret tab og \x1f kontroltegn",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_themes_and_comments_are_escaped_and_exported_safely(hearing, people, text):
    response = submit_as(people["employee"], hearing)
    theme = HearingTheme.objects.create(hearing=hearing, name=text[:200], comment=text)
    response.themes.add(theme)
    response.administration_comment = text
    response.save()
    client = signed_in(people["superuser"])
    page = no_server_error(
        client.get(reverse("hearing_responses:themes", args=[hearing.pk]))
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    report = no_server_error(
        client.get(reverse("hearing_responses:report", args=[hearing.pk]))
    ).content.decode()
    assert "<script>alert(1)</script>" not in report
    for cell in list(rows(hearing))[1]:
        start = cell.lstrip(" \u00a0\u200b")[:1] if isinstance(cell, str) else ""
        if start and start in "=+-@":
            assert cell.startswith("'"), cell
    document = Document(io.BytesIO(memo_docx(hearing)))
    assert any(response.reference in p.text for p in document.paragraphs)
    memo = no_server_error(
        client.get(reverse("hearing_responses:memo", args=[hearing.pk, "docx"]))
    )
    assert memo.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "abc"},
        {"theme": "99999999999999999999999"},
        {"theme": "-1"},
        {"tag": "x" * 10000},
        {"tag": "'; DROP TABLE hearings_hearingresponse; --"},
        {"tag": "<script>alert(1)</script>"},
        {"theme": ["1", "2"]},
    ],
)
def test_hostile_theme_filters_cause_no_error(hearing, people, query):
    submit_as(people["employee"], hearing)
    client = signed_in(people["superuser"])
    for url in (
        reverse("hearing_responses:index"),
        reverse("hearing_responses:export", args=[hearing.pk, "csv"]),
    ):
        reply = no_server_error(client.get(url, {"hearing": hearing.pk, **query}))
        if hasattr(reply, "content"):
            assert b"<script>alert(1)</script>" not in reply.content


def test_a_theme_of_another_hearing_is_not_found_in_an_export(hearing, people, make_hearing):
    other = make_hearing(title="Anden")
    theme = HearingTheme.objects.create(hearing=other, name="Fremmed")
    client = signed_in(people["superuser"])
    reply = client.get(
        reverse("hearing_responses:export", args=[hearing.pk, "csv"]), {"theme": theme.pk}
    )
    assert reply.status_code == 404


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_an_empty_or_overlong_theme_name_is_refused(hearing, people, name):
    client = signed_in(people["superuser"])
    reply = no_server_error(
        client.post(
            reverse("hearing_responses:themes", args=[hearing.pk]),
            {"name": name, "sort_order": "0"},
        )
    )
    assert reply.status_code == 200
    assert not HearingTheme.objects.filter(hearing=hearing).exists()


@pytest.mark.parametrize("who", ["employee", "outsider", "colleague"])
def test_the_audience_cannot_remind_read_rates_or_the_memo(hearing, people, who):
    client = signed_in(people[who])
    for method, name, args in [
        ("post", "remind", [hearing.pk]),
        ("get", "not_answered", [hearing.pk]),
        ("get", "memo", [hearing.pk, "pdf"]),
        ("post", "seed_memo", [hearing.pk]),
        ("post", "themes", [hearing.pk]),
    ]:
        reply = getattr(client, method)(reverse(f"hearing_responses:{name}", args=args))
        assert reply.status_code in (302, 403), (name, reply.status_code)
    assert not ManualReminder.objects.exists()
    assert not HearingTheme.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"answer_0": "abc"},
        {"answer_0": "99999999999999999999999"},
        {"answer_0": "-1"},
        {"answer_0": ["1", "1", "x"]},
        {"answer_999": "1", "question_id": "../../etc", "opinion": "1"},
        {"answer_0": "<script>alert(1)</script>"},
    ],
)
def test_hostile_answer_themes_cause_no_error_and_store_nothing(hearing, people, data):
    response = submit_as(people["employee"], hearing)
    HearingTheme.objects.create(hearing=hearing, name="<script>alert(1)</script>")
    client = signed_in(people["superuser"])
    url = reverse("hearing_responses:answer_themes", args=[response.pk])
    page = no_server_error(client.get(url)).content.decode()
    assert "<script>alert(1)</script>" not in page
    no_server_error(client.post(url, data))
    assert not response.answer_themes.exists()


def test_an_answer_cannot_get_a_theme_of_another_hearing(hearing, people, make_hearing):
    response = submit_as(people["employee"], hearing)
    foreign = HearingTheme.objects.create(hearing=make_hearing(title="Anden"), name="Fremmed")
    client = signed_in(people["superuser"])
    url = reverse("hearing_responses:answer_themes", args=[response.pk])
    reply = no_server_error(client.post(url, {"answer_0": str(foreign.pk)}))
    assert reply.status_code == 200
    assert not response.answer_themes.exists()
