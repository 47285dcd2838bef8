"""The common answer handed in with one statement (#16, item 4: the deadline rush).

A person with no response to the hearing hands in an answer: no files, not for a party,
nothing in it that looks sensitive, a hearing whose type does not approve answers by
itself, and the receipt handed to the job queue's worker (production). On PostgreSQL
that answer is stored by one statement, which

- takes the hearing's row ``FOR SHARE`` where it is open at this moment (the phase
  ``hearings.phases`` calls open, judged on the row as it is now: no editor or job can
  change it until the statement ends, and answers do not wait for each other there);
- draws the next number from the hearing's counter (``numbering.next_sequence``'s
  upsert: the counter's row is what answers queue on, for a statement's time);
- inserts the response, its first revision and the receipt's task, each row as Django
  writes it (defaults, ``auto_now``), the response's number and reference taken from the
  counter.

Seven round trips to the database (``BEGIN``, the hearing's lock, the last number, three
``INSERT``s, ``COMMIT``) become one, and no lock is held while Python works between
them: in the rush the answers had queued on the hearing's row for the whole of each
other's transactions.

The statement stores all of it or nothing. Where it stores nothing (the hearing closed
meanwhile, the person has a response already, a twin of this post got there first) or
the answer is not the common one, ``responding.submit`` goes on its careful way, which
judges and words what happened.
"""

import functools
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.db.models.sql import InsertQuery

from hearings import access, moderation, notifications
from hearings.models import HearingPage, HearingResponse, ResponseRevision, ResponseStatus
from hearings.numbering import next_sequence_sql, reference_sql
from hearings.phases import Phase, phase_filter

# Stand-ins for the hearing and the moment, found again in the compiled SQL.
_HEARING = 2_000_000_017
_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=UTC)


def possible(user, hearing, party, attachment_ids, send_receipt, now):
    """Can the answer be handed in with one statement? (The rest is decided by it.)"""
    return (
        connection.vendor == "postgresql"
        and send_receipt
        and party is None
        and not attachment_ids
        and notifications.receipt_task_possible(connection.alias)
        and access.respond_refusal(user, hearing, now) is None
        and _open_hearing_sql() is not None
    )


def hand_in(user, hearing, answers, *, token, on_behalf_of, form_version, now):
    """Store the answer with one statement: (the new response, False), or (the response
    a twin of this post stored a moment before, True), or None when it stored nothing
    and found no twin (the careful way decides then). ``possible`` must have said yes."""
    response = HearingResponse(
        hearing=hearing,
        respondent=user,
        status=ResponseStatus.SUBMITTED,
        answers=answers,
        on_behalf_of_kind=on_behalf_of[0],
        on_behalf_of_name=on_behalf_of[1],
        form_version=form_version,
        submission_token=token,
        submitted_at=now,
        sensitive=moderation.looks_sensitive(answers),
    )
    if response.sensitive or moderation.auto_approve_allowed(response):
        return None  # flagged, or approved at once: written and logged the careful way
    package = notifications.worker_task(
        "hearings.notifications.send_receipt_of", str(token), name=f"receipt-{token}-1"
    )
    if package is None:
        return None
    sql, params = _statement(response, user, package, now)
    try:
        if transaction.get_autocommit():
            row = _run(sql, params)
        else:  # in a caller's transaction (a test's, say): a failure must not end it
            with transaction.atomic():
                row = _run(sql, params)
    except IntegrityError:
        # A twin of this post (a double click, a retry) got there first: its response,
        # found by the form token. Anything else (a draft, an earlier answer, the
        # hearing closed meanwhile): the careful way, which takes the hearing's row
        # FOR UPDATE and so would hold up every answer's statement while it works.
        twin = HearingResponse.objects.filter(respondent=user, submission_token=token).first()
        return None if twin is None else (twin, True)
    response.pk, response.sequence, response.reference = row
    response._state.adding = False
    response._state.db = connection.alias
    post_save.send(
        sender=HearingResponse,
        instance=response,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return response, False


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _statement(response, user, package, now):
    hearing_sql, slots = _open_hearing_sql()
    values = {_HEARING: response.hearing_id, _MOMENT: now}
    hearing_params = [
        values.get(slot, slot) if slot in (_HEARING, _MOMENT) else slot for slot in slots
    ]
    # SQL of this module's own, over the statement's parts; the values are parameters.
    number = "(SELECT last FROM counter)"
    response.sequence = RawSQL(number, ())  # noqa: S611
    response.reference = RawSQL(*reference_sql(response.hearing, now, number))  # noqa: S611
    response_sql, response_params = _insert(response, returning=("id", "sequence", "reference"))
    revision = ResponseRevision(
        response_id=RawSQL("(SELECT id FROM answer)", ()),  # noqa: S611
        number=1,
        kind=ResponseRevision.Kind.SUBMITTED,
        created_by=user,
        answers=response.answers,
        form_version=response.form_version,
    )
    revision_sql, revision_params = _insert(revision)
    task_sql, task_params = _insert(notifications.task_row(package))
    sql = (
        f"WITH hearing (id) AS ({hearing_sql} FOR SHARE), "  # noqa: S608
        f"counter AS ({next_sequence_sql('hearing.id', 'FROM hearing')}), "
        f"answer AS ({response_sql}), "
        f"revision AS ({revision_sql}), "
        f"task AS ({task_sql}) "
        "SELECT id, sequence, reference FROM answer"
    )
    return sql, [*hearing_params, *response_params, *revision_params, *task_params]


@functools.cache
def _open_hearing_sql():
    """The SELECT of the hearing's id where it is open at a moment (``phase_filter``'s
    open), compiled once: (its SQL, its parameters with the stand-ins for the hearing
    and the moment), or None if they cannot be found again in it."""
    query = (
        HearingPage.objects.filter(pk=_HEARING)
        .filter(phase_filter(Phase.OPEN, _MOMENT))
        .order_by()
        .values("pk")
        .query
    )
    sql, params = query.get_compiler(connection=connection).as_sql()
    slots = [
        _HEARING if param == _HEARING else _MOMENT if param == _MOMENT else param
        for param in params
    ]
    if _HEARING not in slots or _MOMENT not in slots:
        return None
    return sql, slots


def _insert(instance, returning=()):
    """``INSERT`` of ``instance`` as ``save()`` writes a new row (its fields' defaults
    and ``pre_save``; values may be ``RawSQL``), with ``RETURNING returning``: (SQL,
    parameters). The SQL is compiled by Django once per model and shape (which fields
    are SQL, and their SQL), and kept; the parameters are each field's value prepared
    for the database as Django's compiler prepares it (a test compares the two)."""
    meta = instance._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    values = [field.pre_save(instance, True) for field in fields]
    shape = (
        type(instance),
        tuple(value.sql if isinstance(value, RawSQL) else None for value in values),
        returning,
    )
    sql = _COMPILED.get(shape)
    if sql is None:
        sql = _COMPILED[shape] = _compile(instance, fields, returning)[0]
    params = []
    for field, value in zip(fields, values, strict=True):
        if isinstance(value, RawSQL):
            params.extend(value.params)
        else:
            params.append(field.get_db_prep_save(value, connection))
    return sql, params


_COMPILED = {}


def _compile(instance, fields, returning):
    """Django's own ``INSERT`` of ``instance``: (SQL, parameters)."""
    query = InsertQuery(type(instance))
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [instance._meta.get_field(name) for name in returning]
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)
