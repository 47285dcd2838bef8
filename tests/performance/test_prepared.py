"""Querysets compiled once and run with each call's values (hearings.prepared, #16), and
the sessions written in one statement (agora_site.sessions)."""

import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connections

from hearings.models import Department, HearingResponse
from hearings.prepared import Prepared

from .conftest import counted

pytestmark = pytest.mark.django_db


class Counting:
    """A queryset builder that counts how often it is asked to build."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **values):
        self.calls += 1
        return self.build(**values)


def test_a_prepared_queryset_is_built_once_and_answers_for_each_call_s_values(departments):
    build = Counting(
        lambda code, ids: Department.objects.filter(code=code, pk__in=ids).order_by("pk")
    )
    prepared = Prepared(build)
    kommune, team = departments["kommune"], departments["team"]
    both = [kommune.pk, team.pk]
    assert list(prepared(code=kommune.code, ids=both)) == [kommune]
    assert list(prepared(code=team.code, ids=both)) == [team]
    assert list(prepared(code="no-such-code", ids=both)) == []
    assert build.calls == 1  # the stand-ins' build; the calls only ran its SQL
    # A list of another length is another shape, built once too.
    assert list(prepared(code=team.code, ids=[team.pk])) == [team]
    assert list(prepared(code=team.code, ids=[kommune.pk])) == []
    assert build.calls == 2


def test_a_prepared_queryset_makes_instances_with_related_objects_and_annotations(
    departments, make_user
):
    from django.db.models import Count

    person = make_user("ida", department=departments["team"])
    prepared = Prepared(
        lambda user_id: (
            get_user_model()
            .objects.filter(pk=user_id)
            .select_related("employee_profile__department")
            .annotate(groups_count=Count("groups"))[:1]
        )
    )
    found = next(iter(prepared(user_id=person.pk)))
    with counted() as queries:
        assert found.employee_profile.department == departments["team"]
        assert found.groups_count == 0
    assert queries == []


def test_a_value_the_query_transforms_is_not_prepared_but_built_each_time(departments):
    build = Counting(lambda name: Department.objects.filter(name__icontains=name).order_by("pk"))
    prepared = Prepared(build)
    kommune = departments["kommune"]
    assert kommune in list(prepared(name=kommune.name[1:5]))
    assert list(prepared(name="ingen-sådan")) == []
    # "%…%" around the stand-in: it cannot be swapped, so every call builds (and is right).
    assert build.calls == 3


def test_an_empty_list_is_built_each_time_and_finds_nothing(departments):
    build = Counting(lambda ids: Department.objects.filter(pk__in=ids))
    prepared = Prepared(build)
    assert list(prepared(ids=[])) == []
    assert list(prepared(ids=[])) == []
    assert list(prepared(ids=[departments["team"].pk])) == [departments["team"]]


def test_a_prepared_queryset_takes_uuids(hearing, people):
    emma, mads = people["employee"], people["moderator"]
    first = HearingResponse.objects.create(
        hearing=hearing, respondent=emma, submission_token=uuid.uuid4()
    )
    second = HearingResponse.objects.create(
        hearing=hearing, respondent=mads, submission_token=uuid.uuid4()
    )
    build = Counting(lambda token: HearingResponse.objects.filter(submission_token=token))
    prepared = Prepared(build)
    assert list(prepared(token=first.submission_token)) == [first]
    assert list(prepared(token=second.submission_token)) == [second]
    assert list(prepared(token=uuid.uuid4())) == []
    assert build.calls == 1  # as a uuid on PostgreSQL, as its hex digits on SQLite
    with pytest.raises(TypeError):
        prepared(token=1.5)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_prepared_queryset_runs_on_the_connection_of_the_thread_that_asks(departments):
    prepared = Prepared(lambda code: Department.objects.filter(code=code).order_by("pk"))
    kommune = departments["kommune"]
    assert list(prepared(code=kommune.code)) == [kommune]
    seen = {}

    def other_thread():
        theirs = connections["default"]
        try:
            seen["found"] = list(prepared(code=kommune.code))
            seen["connection"] = theirs
        finally:
            theirs.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["found"] == [kommune]
    assert seen["connection"] is not connections["default"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_changed_session_is_written_with_one_statement():
    from agora_site.sessions import SessionStore

    store = SessionStore()
    store["a"] = 1
    store.create()
    again = SessionStore(store.session_key)
    again["b"] = 2
    with counted() as queries:
        again.save()
    assert len(queries) == 1 and queries[0].startswith("UPDATE"), queries
    assert SessionStore(store.session_key).load() == {"a": 1, "b": 2}


def test_inside_a_transaction_a_session_is_written_the_way_django_does(people):
    from agora_site.sessions import SessionStore

    store = SessionStore()
    store.create()
    store["b"] = 2
    with counted() as queries:
        store.save()
    assert [sql.split()[0] for sql in queries] == ["SAVEPOINT", "UPDATE", "RELEASE"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_removed_meanwhile_is_not_written_back():
    from agora_site.sessions import SessionStore

    store = SessionStore()
    store["a"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).delete()
    store["b"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_the_hearing_page_and_an_answer_run_queries_compiled_once(client, hearing, people):
    """Each query the page and the answer compile once (#16) is kept compiled, on
    PostgreSQL and on SQLite alike: none falls back to being built on every call."""
    from hearings import access, responding
    from hearings.models import pages

    employee = people["employee"]
    client.force_login(employee)
    assert client.get(hearing.url).status_code == 200
    data = {"token": str(uuid.uuid4()), "opinion": "Godt", "on_behalf_of": "myself"}
    assert client.post(hearing.url, data).status_code == 302
    access._access_facts(get_user_model().objects.get(pk=employee.pk))
    for prepared in (
        pages._FIND_HEARING,
        responding._ACTIVE_RESPONSE,
        responding._EARLIER_AND_ACTIVE,
        responding._LOCKED_HEARING,
        access._ACCESS_FACTS,
    ):
        assert prepared._shapes, prepared._build
        assert False not in prepared._shapes.values(), prepared._build
