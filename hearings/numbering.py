"""The numbers and references of a hearing's responses.

A response handed in gets the next number of its hearing (``HearingResponse.sequence``)
and, from it, the reference on its receipt. Numbers are drawn from the hearing's
counter (``ResponseCounter``) with the hearing taken: by ``next_sequence`` in a
transaction (``hearings.responding``, ``hearings.registering``), or inside the one
statement that stores the common answer (``hearings.one_statement``)."""

from django.db import connection
from django.utils import timezone

from hearings.models import HearingResponse, ResponseCounter


def next_sequence(hearing_id):
    """The next number of hearing ``hearing_id``'s responses, drawn from its counter
    (``ResponseCounter``): one more than both the counter and the highest number its
    responses have. Call with the hearing taken (``_lock_hearing``), in the transaction
    that stores the response: the counter's row is held until then, and a transaction
    that stores nothing hands its number back."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SEQUENCE_SQL[connection.vendor == "postgresql"], [hearing_id] * 2)
        return cursor.fetchone()[0]


def next_sequence_sql(hearing, source="", postgresql=True):
    """The counter's upsert for the hearing ``hearing`` (SQL: a placeholder, or a column
    of ``source``, a ``FROM`` clause), returning the number as ``last``: what
    ``next_sequence`` and ``hearings.one_statement`` run."""
    counter = ResponseCounter._meta.db_table
    responses = HearingResponse._meta.db_table
    greatest = "GREATEST" if postgresql else "MAX"  # SQLite's MAX of two values
    # Table names from the models; the hearing is a placeholder or a column.
    return (
        f"INSERT INTO {counter} (hearing_id, last) "  # noqa: S608
        f"SELECT {hearing}, COALESCE((SELECT MAX(sequence) FROM {responses} "
        f"WHERE hearing_id = {hearing}), 0) + 1 {source} WHERE true "
        f"ON CONFLICT (hearing_id) DO UPDATE SET last = "
        f"{greatest}({counter}.last + 1, excluded.last) RETURNING last"
    )


# By whether the database is PostgreSQL.
NEXT_SEQUENCE_SQL = {
    True: next_sequence_sql("%s"),
    False: next_sequence_sql("%s", postgresql=False),
}


def make_reference(hearing, sequence, now):
    """The human reference on the receipt: H-<year>-<hearing id>-<number>."""
    return f"{_reference_prefix(hearing, now)}{sequence:04d}"


def reference_sql(hearing, now, number):
    """``make_reference`` in PostgreSQL's SQL, the number being the SQL ``number``:
    (its SQL, its parameters), for ``RawSQL``."""
    digits = f"({number})::text"
    return f"%s || lpad({digits}, GREATEST(4, length({digits})), '0')", [
        _reference_prefix(hearing, now)
    ]


def _reference_prefix(hearing, now):
    return f"H-{timezone.localtime(now).year}-{hearing.pk:04d}-"
