"""The common answer stored by one statement (``hearings.one_statement``, #16 item 4),
and the numbers every way of handing in draws from the hearing's counter.

The statement is PostgreSQL's; with the receipt handed to the worker (production,
``AGORA_SEND_MAIL_IN_REQUEST`` off) the hearing page's POST uses it. Everything it
leaves (a closed hearing, a draft, a twin, an answer that looks sensitive, a type that
approves by itself) goes the careful way, and must come out as it always did."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import OrmQ
from django_q.signing import SignedPackage
from wagtail.models import ModelLogEntry

from hearings import notifications, numbering, one_statement, responding
from hearings.models import (
    HearingPage,
    HearingResponse,
    HearingType,
    PublishResponses,
    ResponseCounter,
    ResponseRevision,
    ResponseStatus,
)

from .conftest import valid_post
from .test_submitting import run_at_once

ANSWERS = {"short": {"type": "short_text", "label": "Din titel", "value": "Pædagog"}}


@pytest.fixture
def production_receipts(settings):
    """The receipt handed to the job queue's worker, as in production."""
    settings.AGORA_SEND_MAIL_IN_REQUEST = False


def run_tasks():
    """What the worker does with the queued tasks (their functions, called here)."""
    from django.utils.module_loading import import_string

    for row in OrmQ.objects.order_by("pk"):
        task = SignedPackage.loads(row.payload)
        import_string(task["func"])(*task["args"], **task["kwargs"])
        row.delete()


def statements(queries):
    return [q["sql"] for q in queries if 'INSERT INTO "hearings_hearingresponse"' in q["sql"]]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_common_answer_is_stored_by_one_statement_with_its_revision_and_receipt(
    client, open_hearing, audience, production_receipts
):
    client.force_login(audience["employee"])
    client.get(open_hearing.url)
    with CaptureQueriesContext(connection) as queries:
        answered = client.post(open_hearing.url, valid_post(uuid.uuid4()))
    assert answered.status_code == 302
    [statement] = statements(queries.captured_queries)
    for part in ("FOR SHARE", "hearings_responsecounter", "hearings_responserevision"):
        assert part in statement
    assert "django_q_ormq" in statement
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]

    [response] = HearingResponse.objects.filter(hearing=open_hearing)
    assert answered.url == response.page_path()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.respondent == audience["employee"]
    assert (response.sequence, response.reference[-5:]) == (1, "-0001")
    assert response.reference == numbering.make_reference(open_hearing, 1, response.submitted_at)
    assert response.answers["short"]["value"] == "Pædagog"
    assert response.created_at and response.updated_at  # as save() writes them
    [revision] = response.revisions.all()
    assert (revision.number, revision.kind) == (1, ResponseRevision.Kind.SUBMITTED)
    assert revision.answers == response.answers and revision.created_by == response.respondent
    assert ResponseCounter.objects.get(hearing=open_hearing).last == 1

    # The worker finds the response by its form token and sends the receipt.
    assert not mail.outbox
    run_tasks()
    [receipt] = mail.outbox
    assert receipt.to == [audience["employee"].email]
    assert response.reference in receipt.body

    # The receipt page the POST went to is the person's.
    page = client.get(answered.url)
    assert page.status_code == 200 and response.reference in page.content.decode()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_same_form_posted_twice_stores_one_answer(
    client, open_hearing, audience, production_receipts
):
    client.force_login(audience["employee"])
    data = valid_post(uuid.uuid4())
    first = client.post(open_hearing.url, data)
    with CaptureQueriesContext(connection) as queries:
        second = client.post(open_hearing.url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    # The twin is found by its token: the hearing is not taken FOR UPDATE (the careful
    # way), which would hold up every other answer's statement meanwhile.
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(statements(queries.captured_queries)) == 1
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1
    assert OrmQ.objects.count() == 1  # one receipt
    assert ResponseCounter.objects.get(hearing=open_hearing).last == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_draft_is_handed_in_the_careful_way(client, open_hearing, audience, production_receipts):
    client.force_login(audience["employee"])
    token = uuid.uuid4()
    client.post(open_hearing.url, valid_post(token, action="draft", **{"q-short": "Kladde"}))
    [draft] = HearingResponse.objects.filter(hearing=open_hearing)
    assert draft.status == ResponseStatus.DRAFT
    handed_in = client.post(open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": "Færdig"}))
    assert handed_in.status_code == 302
    [response] = HearingResponse.objects.filter(hearing=open_hearing)
    assert response.pk == draft.pk and response.status == ResponseStatus.SUBMITTED
    assert response.answers["short"]["value"] == "Færdig" and response.sequence == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_an_answer_after_the_deadline_moved_is_refused_and_draws_no_number(
    client, open_hearing, audience, production_receipts
):
    client.force_login(audience["employee"])
    client.get(open_hearing.url)
    page = HearingPage.objects.get(pk=open_hearing.pk)
    # The page as the request reads it says open; the statement finds it closed.
    assert one_statement.possible(audience["employee"], page, None, (), True, timezone.now())
    HearingPage.objects.filter(pk=open_hearing.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    stored = one_statement.hand_in(
        audience["employee"],
        page,
        ANSWERS,
        token=uuid.uuid4(),
        on_behalf_of=("myself", ""),
        form_version="",
        now=timezone.now(),
    )
    assert stored is None
    late = client.post(open_hearing.url, valid_post(uuid.uuid4()))
    assert late.status_code == 200
    assert "The deadline has passed" in late.content.decode()
    assert not HearingResponse.objects.exists()
    assert not ResponseCounter.objects.exists() and not OrmQ.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_what_looks_sensitive_is_flagged_and_a_type_that_approves_publishes(
    client, open_hearing, audience, production_receipts
):
    client.force_login(audience["employee"])
    client.post(open_hearing.url, valid_post(uuid.uuid4(), **{"q-long": "Mit CPR er 010203-1234"}))
    [flagged] = HearingResponse.objects.filter(hearing=open_hearing)
    assert flagged.sensitive and flagged.status == ResponseStatus.SUBMITTED
    assert ModelLogEntry.objects.filter(action="agora.response.flag").count() == 1

    kind = HearingType.objects.create(name="Hurtig", auto_approve=True)
    HearingPage.objects.filter(pk=open_hearing.pk).update(
        hearing_type=kind, publish_responses=PublishResponses.AFTER_MODERATION
    )
    client.force_login(audience["colleague"])
    client.post(open_hearing.url, valid_post(uuid.uuid4()))
    approved = HearingResponse.objects.get(hearing=open_hearing, respondent=audience["colleague"])
    assert approved.status == ResponseStatus.PUBLISHED and approved.sequence == 2
    assert ModelLogEntry.objects.filter(action="agora.response.auto_approve").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_answers_and_twins_get_one_number_each(
    open_hearing, make_user, departments, settings
):
    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    people = [make_user(f"rush{i}", department=departments["team"]) for i in range(6)]
    twin = uuid.uuid4()

    def hand_in(index):
        person, token = (people[0], twin) if index in (0, 6) else (people[index], uuid.uuid4())
        return responding.submit(
            person, open_hearing, ANSWERS, token=token, form_version="v", at_once=True
        )

    # Six people and a twin of the first one's post (the same form token), together.
    outcomes = run_at_once(7, hand_in)
    assert all(isinstance(o, responding.Outcome) for o in outcomes), outcomes
    assert sorted(o.duplicate for o in outcomes) == [False] * 6 + [True]
    assert outcomes[0].response.pk == outcomes[6].response.pk
    responses = HearingResponse.objects.filter(hearing=open_hearing)
    assert sorted(responses.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert len({r.reference for r in responses}) == 6
    assert ResponseCounter.objects.get(hearing=open_hearing).last == 6
    assert OrmQ.objects.count() == 6
    assert ResponseRevision.objects.filter(response__hearing=open_hearing).count() == 6


@pytest.mark.django_db
def test_numbers_count_the_rows_before_the_counter_and_are_never_handed_out_twice(
    open_hearing, audience, make_user, departments
):
    """Every database: the careful way and the staff's registration draw the same way."""
    for sequence in (1, 2, 3):  # numbered before the counter existed (or in bulk)
        HearingResponse.objects.create(
            hearing=open_hearing,
            status=ResponseStatus.SUBMITTED,
            sequence=sequence,
            reference=f"H-OLD-{sequence}",
        )
    fourth = responding.submit(
        audience["employee"], open_hearing, ANSWERS, token=uuid.uuid4(), send_receipt=False
    ).response
    assert fourth.sequence == 4
    fourth.delete()  # erased (GDPR): its number stays used
    fifth = responding.submit(
        audience["colleague"], open_hearing, ANSWERS, token=uuid.uuid4(), send_receipt=False
    ).response
    assert fifth.sequence == 5 and fifth.reference.endswith("-0005")
    assert ResponseCounter.objects.get(hearing=open_hearing).last == 5


@pytest.mark.postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("number", [1, 42, 9999, 12345])
def test_the_reference_written_in_sql_is_make_reference(open_hearing, number):
    now = timezone.now()
    sql, params = numbering.reference_sql(open_hearing, now, "%s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [*params, number, number])  # noqa: S608
        assert cursor.fetchone()[0] == numbering.make_reference(open_hearing, number, now)


@pytest.mark.django_db
def test_the_kept_insert_is_the_one_django_compiles(open_hearing, audience, monkeypatch):
    """``_insert`` keeps the SQL Django's compiler writes and prepares the values as it
    does: for the response (its number and reference SQL), its revision and the task."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # auto_now: the same both times
    response = HearingResponse(
        hearing=open_hearing,
        respondent=audience["employee"],
        status=ResponseStatus.SUBMITTED,
        answers=ANSWERS,
        submission_token=uuid.uuid4(),
        submitted_at=now,
        sequence=RawSQL("(SELECT 7)", ()),
        reference=RawSQL("%s || '7'", ["H-"]),
    )
    revision = ResponseRevision(
        response_id=RawSQL("(SELECT 1)", ()),
        number=1,
        kind=ResponseRevision.Kind.SUBMITTED,
        answers=ANSWERS,
    )
    task = notifications.task_row(b"package")
    shapes = [(response, ("id", "sequence", "reference")), (revision, ()), (task, ())]
    for instance, returning in shapes:
        for _ in range(2):  # compiled, then kept
            sql, params = one_statement._insert(instance, returning)
            meta = instance._meta
            fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
            expected_sql, expected_params = one_statement._compile(instance, fields, returning)
            assert sql == expected_sql
            assert [str(p) for p in params] == [str(p) for p in expected_params]
