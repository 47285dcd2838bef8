"""Two workers running the due jobs at the same moment still do everything once.

These tests commit for real (``transaction=True``), so the two threads, each with its
own PostgreSQL connection, see and lock each other's rows.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from hearings import jobs, notifications
from hearings.models import FiledDocument, Notification, SideEffectRecord

from .fixtures import case_folders, read_manifest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_in_parallel(target, workers=2):
    barrier = threading.Barrier(workers)
    errors = []

    def work():
        try:
            barrier.wait()
            target()
        except Exception as error:  # surfaced in the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


@pytest.mark.postgresql
def test_two_workers_at_the_same_moment_notify_and_file_everything_once(
    hearing_for, cast, esdh_dir, monkeypatch
):
    hearing_for(title="Åbner nu")
    hearing_for(title="Rykker", opens_in=timedelta(days=-10), closes_in=timedelta(days=1))
    closed = hearing_for(
        title="Lukker", opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1)
    )
    real_deliver = notifications.deliver

    def slow_deliver(row):  # widen the window in which the workers overlap
        time.sleep(0.05)
        real_deliver(row)

    monkeypatch.setattr(notifications, "deliver", slow_deliver)

    run_in_parallel(jobs.run_due_jobs)

    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert sent and max(sent.values()) == 1, sent
    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    # opening of both open hearings to two employees, one reminder each, the owner once
    assert kinds == {"hearing_opened": 4, "deadline_reminder": 2, "hearing_closed": 1}
    assert len(mail.outbox) == 7
    assert SideEffectRecord.objects.count() == 4  # opened ×2, reminded, closed
    assert FiledDocument.objects.filter(hearing=closed).count() == 1
    [folder] = case_folders(esdh_dir)
    assert len(read_manifest(folder)["documents"]) == 1

    run_in_parallel(jobs.run_due_jobs)
    assert len(mail.outbox) == 7
