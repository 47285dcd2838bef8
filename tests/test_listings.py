"""The hearing index and the home page's "my hearings"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hearings.models import SubjectArea


@pytest.fixture
def employee(make_user, departments):
    return make_user("employee", departments["team"])


@pytest.fixture
def hearings(make_hearing, departments):
    now = timezone.now()
    day = timedelta(days=1)
    personale = SubjectArea.objects.create(name="Personale")
    return {
        "soon": make_hearing(
            title="Closes soon", departments=[departments["center"]], closes_at=now + day
        ),
        "later": make_hearing(
            title="Closes later",
            departments=[departments["kommune"]],
            closes_at=now + 9 * day,
            subject_area=personale,
        ),
        "upcoming": make_hearing(
            title="Upcoming one",
            departments=[departments["kommune"]],
            opens_at=now + day,
            closes_at=now + 3 * day,
        ),
        "closed": make_hearing(
            title="Closed one",
            departments=[departments["kommune"]],
            opens_at=now - 9 * day,
            closes_at=now - day,
        ),
        "elsewhere": make_hearing(title="Not for me", departments=[departments["other"]]),
    }


def titles(response):
    return [h.title for h in response.context["hearings_page"]]


def test_the_index_lists_my_hearings_open_first_by_deadline(client, employee, hearings):
    client.force_login(employee)
    response = client.get("/hearings/")
    assert response.status_code == 200
    assert titles(response) == ["Closes soon", "Closes later", "Upcoming one", "Closed one"]
    assert "Not for me" not in response.text


def test_the_index_filters_by_phase_subject_and_department(
    client, employee, hearings, departments
):
    client.force_login(employee)
    assert titles(client.get("/hearings/", {"phase": "closed"})) == ["Closed one"]
    subject = hearings["later"].subject_area
    assert titles(client.get("/hearings/", {"subject_area": subject.pk})) == ["Closes later"]
    by_department = client.get("/hearings/", {"department": departments["center"].pk})
    assert titles(by_department) == ["Closes soon"]


def test_the_index_shows_phase_badges(client, employee, hearings):
    client.force_login(employee)
    html = client.get("/hearings/").text
    assert "agora-phase-open badge-success" in html
    assert "agora-phase-closed" in html


def test_the_index_paginates(client, employee, make_hearing, departments, hearing_index):
    for number in range(25):
        make_hearing(title=f"Hearing {number:02d}", departments=[departments["kommune"]])
    client.force_login(employee)
    first = client.get("/hearings/")
    second = client.get("/hearings/", {"page": 2})
    assert len(first.context["hearings_page"]) == hearing_index.page_size
    assert len(second.context["hearings_page"]) == 5
    assert "page=2" in first.text


def test_the_index_does_not_grow_queries_with_its_rows(
    client, employee, make_hearing, departments, django_assert_max_num_queries
):
    client.force_login(employee)
    make_hearing(title="one", departments=[departments["kommune"]])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/hearings/")
    for number in range(15):
        make_hearing(title=f"more {number}", departments=[departments["kommune"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/hearings/")


def test_home_shows_my_open_and_upcoming_hearings(client, employee, hearings):
    client.force_login(employee)
    response = client.get("/")
    listed = [h.title for h in response.context["my_hearings"]]
    assert listed == ["Closes soon", "Closes later", "Upcoming one"]


def test_home_asks_anonymous_visitors_to_sign_in(client, hearings):
    response = client.get("/")
    assert response.status_code == 200
    assert "/accounts/login/" in response.text
    assert not response.context["my_hearings"]


def test_search_finds_only_hearings_i_may_see(client, employee, hearings):
    client.force_login(employee)
    response = client.get("/search/", {"q": "Upcoming"})
    assert {h.title for h in response.context["results"]} == {"Upcoming one"}
    response = client.get("/search/", {"q": "Not for me"})
    assert "Not for me" not in {h.title for h in response.context["results"]}


def test_the_index_pages_through_open_upcoming_and_ended_hearings_each_once(
    client, employee, make_hearing, departments, monkeypatch
):
    """Each phase is read as its own segment (hearings.listing.OpenFirst): pages that
    cross from one phase to the next show every hearing once, in order."""
    from hearings.models import HearingIndexPage

    monkeypatch.setattr(HearingIndexPage, "page_size", 3)
    now = timezone.now()
    day = timedelta(days=1)
    kommune = [departments["kommune"]]
    for number, days in enumerate([5, 2, 2, 9]):  # two share a deadline: the older first
        make_hearing(title=f"open {number}", departments=kommune, closes_at=now + days * day)
    for number, days in enumerate([4, 3]):
        make_hearing(
            title=f"upcoming {number}",
            departments=kommune,
            opens_at=now + day,
            closes_at=now + days * day,
        )
    for number, days in enumerate([8, 1, 3]):
        make_hearing(
            title=f"ended {number}",
            departments=kommune,
            opens_at=now - 20 * day,
            closes_at=now - days * day,
        )
    make_hearing(title="not for me", departments=[departments["other"]])
    client.force_login(employee)
    pages = [client.get("/hearings/", {"page": number}) for number in (1, 2, 3)]
    listed = [title for page in pages for title in titles(page)]
    assert listed == [
        "open 1", "open 2", "open 0", "open 3",
        "upcoming 1", "upcoming 0",
        "ended 1", "ended 2", "ended 0",
    ]  # fmt: skip
    assert all(page.context["hearings_page"].paginator.count == 9 for page in pages)
    assert "9 høringer" in pages[0].text


def test_the_kept_count_follows_a_new_or_withdrawn_hearing_at_once(
    client, employee, hearings, make_hearing, departments
):
    client.force_login(employee)
    assert client.get("/hearings/").context["hearings_page"].paginator.count == 4
    assert client.get("/").context["my_hearings_total"] == 3
    added = make_hearing(title="Brand new", departments=[departments["kommune"]])
    assert client.get("/hearings/").context["hearings_page"].paginator.count == 5
    assert client.get("/").context["my_hearings_total"] == 4
    added.unpublish()
    assert client.get("/hearings/").context["hearings_page"].paginator.count == 4
    assert client.get("/").context["my_hearings_total"] == 3


def test_a_kept_count_is_counted_again_after_its_seconds_or_a_change():
    from hearings import listing

    counted = []

    def count():
        counted.append(1)
        return len(counted)

    now = timezone.now()
    assert listing.kept_count("test", count, now) == 1
    assert listing.kept_count("test", count, now) == 1  # kept
    assert listing.kept_count("other", count, now) == 2  # another listing or person
    later = now + timedelta(seconds=listing.COUNT_SECONDS)
    assert listing.kept_count("test", count, later) == 3  # the next step of the clock
    listing.forget_counts()
    assert listing.kept_count("test", count, later) == 4  # a page or audience changed


@pytest.mark.django_db
def test_the_index_tells_anonymous_visitors_that_employees_hearings_need_signing_in(
    client, hearings
):
    """The internal hearings are not for them: the index said "0 hearings – no hearings
    match the filter" with no filter set."""
    html = client.get("/hearings/").content.decode()
    assert "Der er ingen høringer at vise." in html
    assert "passer til filteret" not in html
    assert "vises, når du er logget ind" in html
    assert 'href="/accounts/login/?next=/hearings/"' in html
    filtered = client.get("/hearings/", {"phase": "closed"}).content.decode()
    assert "Ingen høringer passer til filteret." in filtered


@pytest.mark.django_db
def test_the_index_does_not_ask_a_signed_in_employee_to_sign_in(client, employee, hearings):
    client.force_login(employee)
    assert "vises, når du er logget ind" not in client.get("/hearings/").content.decode()
