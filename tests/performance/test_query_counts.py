"""Regressions fail through query counts, not timings (issue #16).

Each surface a person reads, and each export, is measured at two data sizes: the
number of queries must be the same at both, and within the surface's budget. The
budgets are today's counts; lower them when a change makes a surface cheaper.
"""

import pytest
from django.urls import reverse

from .conftest import queries_of

# Every measurement here within one step of the kept counts' clock (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_counts_held")]

# The most queries each surface may take, whatever the data.
BUDGET = {
    "hearing page": 4,
    "hearing index": 13,
    "home": 7,
    "api list": 7,
    "admin listing": 29,
    "export": 24,  # + themes and free tags per chunk (#15), the municipality (#14)
}


def assert_flat(name, small, large):
    assert len(small) == len(large), (
        f"{name}: {len(small)} queries with little data, {len(large)} with more:\n"
        + "\n".join(small)
        + "\n--- with more data:\n"
        + "\n".join(large)
    )
    print(f"QUERIES {name}: {len(small)} -> {len(large)}")
    assert len(large) <= BUDGET[name], f"{name}: {len(large)} queries:\n" + "\n".join(large)


def test_the_hearing_page_takes_the_same_queries_for_5_and_45_published_responses(
    client, hearing, people, add_responses
):
    client.force_login(people["employee"])
    add_responses(hearing, 5)
    small = queries_of(lambda: client.get(hearing.url))
    add_responses(hearing, 40)
    large = queries_of(lambda: client.get(hearing.url))
    assert_flat("hearing page", small, large)


def test_the_hearing_page_shows_one_page_of_responses_and_their_count(
    client, hearing, people, add_responses
):
    from hearings.moderation import PUBLISHED_PAGE_SIZE

    client.force_login(people["employee"])
    add_responses(hearing, PUBLISHED_PAGE_SIZE + 5)
    first = client.get(hearing.url)
    html = first.content.decode()
    assert html.count('class="agora-published-response') == PUBLISHED_PAGE_SIZE
    assert f"{PUBLISHED_PAGE_SIZE + 5} published responses" in html or (
        f"{PUBLISHED_PAGE_SIZE + 5} offentliggjorte" in html
    )
    second = client.get(hearing.url, {"responses": 2})
    assert second.content.decode().count('class="agora-published-response') == 5


def test_the_index_takes_the_same_queries_for_3_and_25_hearings(client, people, add_hearings):
    client.force_login(people["employee"])
    add_hearings(3)
    small = queries_of(lambda: client.get("/hearings/"))
    add_hearings(22)
    large = queries_of(lambda: client.get("/hearings/"))
    assert_flat("hearing index", small, large)


def test_home_takes_the_same_queries_and_lists_a_bounded_number_of_hearings(
    client, people, add_hearings
):
    from hearings.listing import MY_HEARINGS_SHOWN

    client.force_login(people["employee"])
    add_hearings(MY_HEARINGS_SHOWN + 1)  # both sizes more than are shown: the count is asked
    small = queries_of(lambda: client.get("/"))
    add_hearings(4)
    large = queries_of(lambda: client.get("/"))
    assert_flat("home", small, large)
    answer = client.get("/")
    assert len(answer.context["my_hearings"]) == MY_HEARINGS_SHOWN
    assert answer.context["my_hearings_total"] == MY_HEARINGS_SHOWN + 5


def test_the_api_list_takes_the_same_queries_for_3_and_25_hearings(client, people, add_hearings):
    client.force_login(people["employee"])
    url = "/api/v2/pages/?type=hearings.HearingPage&fields=phase,hearing_type,subject_area"
    add_hearings(3)
    small = queries_of(lambda: client.get(url))
    add_hearings(22)
    large = queries_of(lambda: client.get(url))
    assert_flat("api list", small, large)


def test_the_admin_listing_takes_the_same_queries_and_offers_few_hearings_to_filter(
    client, people, hearing, add_hearings, add_responses, monkeypatch
):
    from hearings.admin import responses

    monkeypatch.setattr(responses, "HEARING_FILTER_CHOICES", 4)
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:index")
    add_responses(hearing, 3)
    add_hearings(1)
    small = queries_of(lambda: client.get(url))
    add_responses(hearing, 30)
    add_hearings(8)
    large = queries_of(lambda: client.get(url))
    assert_flat("admin listing", small, large)
    html = client.get(url).content.decode()
    select = html.split('name="hearing"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") <= 4 + 1  # the hearings and "all"
    # A hearing beyond the recent ones can still be chosen (from its overview's link).
    filtered = client.get(url, {"hearing": hearing.pk})
    assert filtered.status_code == 200
    assert f'value="{hearing.pk}" selected' in filtered.content.decode()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_each_export_takes_the_same_queries_for_3_and_33_responses(
    client, people, hearing, add_responses, kind
):
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:export", args=[hearing.pk, kind])
    add_responses(hearing, 3)
    small = queries_of(lambda: client.get(url))
    add_responses(hearing, 30)
    large = queries_of(lambda: client.get(url))
    assert_flat("export", small, large)


def test_an_answer_post_reads_none_of_the_persons_responses_before_its_insert(
    client, hearing, people
):
    """The common answer is inserted at once (``views._hand_in_at_once``): the database's
    constraints, not a read beforehand, find a draft, an earlier answer or a twin."""
    import uuid

    from hearings.models import HearingResponse

    from .conftest import counted

    client.force_login(people["employee"])
    client.get(hearing.url)
    data = {"token": str(uuid.uuid4()), "opinion": "Godt", "on_behalf_of": "myself"}
    with counted() as queries:
        answer = client.post(hearing.url, data)
    assert answer.status_code == 302
    reads = [
        sql
        for sql in queries
        if sql.startswith("SELECT") and 'FROM "hearings_hearingresponse"' in sql
    ]
    # None: the hearing's highest number is read by the counter's upsert, which draws
    # the answer's number (with the hearing taken).
    assert not reads, "\n".join(reads)
    [draw] = [sql for sql in queries if "hearings_responsecounter" in sql]
    assert "MAX(sequence)" in draw
    assert HearingResponse.objects.filter(respondent=people["employee"]).count() == 1
    print(f"QUERIES answer post: {len(queries)}")


def test_a_repeated_answer_post_finds_the_answer_by_its_token_once(client, hearing, people):
    import uuid

    from hearings.models import HearingResponse

    from .conftest import counted

    client.force_login(people["employee"])
    client.get(hearing.url)
    data = {"token": str(uuid.uuid4()), "opinion": "Godt", "on_behalf_of": "myself"}
    first = client.post(hearing.url, data)
    with counted() as queries:
        again = client.post(hearing.url, data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    lookups = [sql for sql in queries if '"submission_token" =' in sql]
    # Once, after the database refused the repeated insert.
    assert len(lookups) == 1, "\n".join(lookups)
    assert HearingResponse.objects.filter(respondent=people["employee"]).count() == 1


@pytest.mark.parametrize(("mail_in_request", "budget"), [(True, 20), (False, 10)])
def test_an_answer_post_takes_the_same_queries_for_3_and_33_responses(
    client,
    hearing,
    people,
    departments,
    make_user,
    add_responses,
    settings,
    django_capture_on_commit_callbacks,
    mail_in_request,
    budget,
):
    """The answer POST (HTML form) is flat in the responses already given, and saving a
    response or its receipt writes no rows to Wagtail's reference index (#16). Without
    mail in the request (production) the receipt is only handed to the worker."""
    import uuid

    from wagtail.models import ReferenceIndex

    from .conftest import counted

    settings.AGORA_SEND_MAIL_IN_REQUEST = mail_in_request

    def post_as(person):
        client.force_login(person)
        client.get(hearing.url)
        data = {"token": str(uuid.uuid4()), "opinion": "Godt", "on_behalf_of": "myself"}
        with counted() as queries, django_capture_on_commit_callbacks(execute=True):
            answer = client.post(hearing.url, data)
        assert answer.status_code == 302, answer.status_code
        return queries

    add_responses(hearing, 3)
    small = post_as(people["employee"])
    add_responses(hearing, 30)
    large = post_as(make_user("ella", department=departments["team"]))
    assert len(small) == len(large), "\n".join(large)
    print(f"QUERIES answer post: {len(small)} -> {len(large)}")
    assert len(large) <= budget, f"answer post: {len(large)} queries:\n" + "\n".join(large)
    handed_over = [sql for sql in large if "django_q_ormq" in sql]
    assert len(handed_over) == (0 if mail_in_request else 1)
    # The answer's own transaction (a savepoint here, inside the test's): the receipt's
    # task is written in it with one INSERT, in no savepoint of its own.
    savepoints = [sql for sql in large if sql.startswith("SAVEPOINT")]
    assert mail_in_request or len(savepoints) == 1, "\n".join(large)
    assert not [sql for sql in large if "wagtailcore_referenceindex" in sql]
    assert not ReferenceIndex.objects.filter(
        content_type__model__in=["hearingresponse", "notification"]
    ).exists()


def test_the_exports_read_themes_and_tags_per_chunk_in_their_order(
    client, people, hearing, add_responses
):
    """Themes in the hearing's order, free tags sorted, read per chunk not per row."""
    from hearings.models import HearingResponse, HearingTheme

    add_responses(hearing, 3)
    first, second, _third = HearingResponse.objects.filter(hearing=hearing).order_by("sequence")
    noise = HearingTheme.objects.create(hearing=hearing, name="Støj", sort_order=2)
    traffic = HearingTheme.objects.create(hearing=hearing, name="Trafik", sort_order=1)
    first.themes.add(noise, traffic)
    first.tags.add("parkering", "cykler")
    second.tags.add("busser")
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:export", args=[hearing.pk, "csv"])
    lines = b"".join(client.get(url).streaming_content).decode().splitlines()
    assert "Trafik, Støj" in lines[1] and "cykler, parkering" in lines[1]
    assert "busser" in lines[2] and "Trafik" not in lines[2]
    assert "busser" not in lines[3]
