"""/api/v2/: hearings with their phase, dates and questions, for those who may see them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearings.models import Audience, HearingType

pytestmark = pytest.mark.django_db


def hearing_ids(payload):
    return {item["id"] for item in payload["items"]}


@pytest.fixture
def internal(open_hearing):
    return open_hearing


@pytest.fixture
def public(make_hearing):
    return make_hearing(title="Ny cykelsti", audience=Audience.PUBLIC)


@pytest.mark.parametrize("endpoint", ["/api/v2/hearings/", "/api/v2/pages/"])
def test_an_anonymous_visitor_sees_public_hearings_but_not_internal_ones(
    client, internal, public, endpoint
):
    listing = client.get(endpoint).json()
    assert public.pk in hearing_ids(listing)
    assert internal.pk not in hearing_ids(listing)
    assert client.get(f"{endpoint}{internal.pk}/").status_code == 404
    assert client.get(f"{endpoint}{public.pk}/").status_code == 200


@pytest.mark.parametrize("endpoint", ["/api/v2/hearings/", "/api/v2/pages/"])
def test_an_employee_outside_the_audience_does_not_see_the_internal_hearing(
    client, internal, audience, endpoint
):
    client.force_login(audience["outsider"])
    assert internal.pk not in hearing_ids(client.get(endpoint).json())
    assert client.get(f"{endpoint}{internal.pk}/").status_code == 404
    assert client.get(f"{endpoint}find/?html_path={internal.url}").status_code == 404


def test_the_internal_hearing_does_not_leak_through_page_type_or_tree_filters(
    client, internal, hearing_index
):
    for query in ("?type=hearings.HearingPage", f"?child_of={hearing_index.pk}"):
        assert internal.pk not in hearing_ids(client.get(f"/api/v2/pages/{query}").json())


def test_basic_authentication_is_not_accepted(client, internal, audience):
    response = client.get(
        f"/api/v2/hearings/{internal.pk}/",
        HTTP_AUTHORIZATION="Basic ZW1tYTpwdw==",  # emma:pw
    )
    assert response.status_code == 404


def test_an_invited_employee_sees_phase_dates_and_form_schema(client, internal, audience):
    client.force_login(audience["employee"])
    listing = client.get("/api/v2/hearings/").json()
    [item] = [item for item in listing["items"] if item["id"] == internal.pk]
    assert item["phase"] == "open"
    assert item["closes_at"] and item["opens_at"]
    assert item["meta"]["detail_url"].endswith(f"/api/v2/hearings/{internal.pk}/")

    detail = client.get(f"/api/v2/hearings/{internal.pk}/").json()
    assert detail["title"] == "Hjemmearbejde"
    assert detail["phase"] == "open"
    assert detail["summary"] == "Kort resumé."
    assert detail["audience"] == "internal"
    assert detail["conclusion"] is None
    schema = {question["id"]: question for question in detail["form_schema"]}
    assert schema["single"]["type"] == "single_choice"
    assert schema["single"]["options"] == [
        {"id": "one", "label": "Én dag"},
        {"id": "two", "label": "To dage"},
        {"id": "none", "label": "Ingen"},
    ]
    assert schema["multi"]["max_choices"] == 2
    assert schema["consent"]["consent_text"]["text"]


def test_the_phase_filter_lists_only_hearings_in_that_phase(client, make_hearing):
    now = timezone.now()
    open_one = make_hearing(title="Åben", audience=Audience.PUBLIC)
    upcoming = make_hearing(
        title="Kommende",
        audience=Audience.PUBLIC,
        opens_at=now + timedelta(days=2),
        closes_at=now + timedelta(days=9),
    )
    assert hearing_ids(client.get("/api/v2/hearings/?phase=open").json()) == {open_one.pk}
    assert hearing_ids(client.get("/api/v2/hearings/?phase=upcoming").json()) == {upcoming.pk}
    assert client.get("/api/v2/hearings/?phase=someday").status_code == 400


def test_a_conclusion_shows_once_the_hearing_is_concluded(client, make_hearing):
    now = timezone.now()
    hearing = make_hearing(
        title="Afsluttet",
        audience=Audience.PUBLIC,
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
    )
    hearing.conclusion = "<p>Vi gør det.</p>"
    hearing.save_revision().publish()
    detail = client.get(f"/api/v2/hearings/{hearing.pk}/").json()
    assert detail["phase"] == "concluded"
    assert detail["conclusion"] == "<p>Vi gør det.</p>"


def test_the_hearing_listing_takes_the_same_number_of_queries_for_many_hearings(
    client, make_hearing, django_assert_max_num_queries
):
    kind = HearingType.objects.create(name="Politik")
    listing = "/api/v2/hearings/?fields=hearing_type,subject_area,kle_number"
    make_hearing(title="Første", audience=Audience.PUBLIC, hearing_type=kind)
    with CaptureQueriesContext(connection) as one_hearing:
        assert client.get(listing).status_code == 200
    for number in range(6):
        make_hearing(title=f"Høring {number}", audience=Audience.PUBLIC, hearing_type=kind)
    with django_assert_max_num_queries(len(one_hearing.captured_queries)):
        response = client.get(listing)
    assert [item["hearing_type"] for item in response.json()["items"]] == ["Politik"] * 7


@pytest.mark.parametrize("endpoint", ["/api/v2/hearings/", "/api/v2/pages/"])
def test_searching_finds_public_hearings_but_never_internal_ones(
    client, make_hearing, departments, endpoint
):
    public = make_hearing(title="Cykelsti ved skolen", audience=Audience.PUBLIC)
    internal = make_hearing(title="Cykelsti for ansatte", departments=[departments["center"]])
    response = client.get(f"{endpoint}?search=cykelsti")
    assert response.status_code == 200, response.content
    found = hearing_ids(response.json())
    assert public.pk in found
    assert internal.pk not in found


@pytest.mark.parametrize("endpoint", ["/api/v2/hearings/", "/api/v2/pages/"])
def test_the_kept_total_count_follows_a_published_hearing(client, public, make_hearing, endpoint):
    before = client.get(endpoint).json()["meta"]["total_count"]
    added = make_hearing(title="Endnu en cykelsti", audience=Audience.PUBLIC)
    after = client.get(endpoint).json()
    assert after["meta"]["total_count"] == before + 1
    assert added.pk in hearing_ids(after)
    assert client.get(f"{endpoint}?search=cykelsti").status_code == 200
