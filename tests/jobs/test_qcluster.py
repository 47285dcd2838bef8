"""A real ``manage.py qcluster`` process picks up a queued task."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.tasks import async_task, fetch

from hearings.models import Notification

BASE_DIR = Path(settings.BASE_DIR)


def database_url():
    """The test database, for the worker process: hence PostgreSQL only (SQLite's is in memory)."""
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def qcluster():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora_site.settings.test",
        "DATABASE_URL": database_url(),
        "AGORA_Q_WORKERS": "1",
    }
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process
    # qcluster stops on a SIGTERM to its main process (it hangs if its workers get the
    # signal first); should it not stop in time, kill its whole process group.
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        os.killpg(process.pid, signal.SIGKILL)  # leftovers, if any
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@pytest.mark.slow
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_worker_picks_up_the_queued_due_jobs(hearing_for, cast, qcluster):
    hearing_for(title="Ny arbejdstid")
    task_id = async_task("hearings.tasks.run_due_jobs")

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        task = fetch(task_id)
        if task is not None:
            break
        assert qcluster.poll() is None, qcluster.stdout.read().decode()
        time.sleep(0.5)
    assert task is not None, "the worker did not run the task within 90 seconds"
    assert task.success, task.result
    sent = Notification.objects.filter(kind="hearing_opened", status="sent")
    assert sorted(sent.values_list("recipient", flat=True)) == [
        "center1@example.dk",
        "team1@example.dk",
    ]


@pytest.mark.slow
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_receipt_of_an_answer_posted_on_the_hearing_page(
    client, hearing_for, cast, settings, qcluster
):
    """As in production: the answer's request hands the receipt over; the worker
    renders, queues and sends it."""
    import uuid

    from tests.performance.conftest import FORM

    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    hearing = hearing_for(title="Ny arbejdstid", response_form=FORM)
    client.force_login(cast["team"])
    client.get(hearing.url)
    data = {"token": str(uuid.uuid4()), "q-opinion": "Godt forslag", "on_behalf_of": "myself"}
    assert client.post(hearing.url, data).status_code == 302
    assert not Notification.objects.exists()  # nothing rendered or queued in the request

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if Notification.objects.filter(kind="response_receipt", status="sent").exists():
            break
        assert qcluster.poll() is None, qcluster.stdout.read().decode()
        time.sleep(0.5)
    [receipt] = Notification.objects.filter(kind="response_receipt")
    assert receipt.status == "sent", receipt.last_error
    assert receipt.recipient == "team1@example.dk"
    assert "Godt forslag" in receipt.body_text
