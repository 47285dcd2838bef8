"""/healthz reports the queue; the admin lists exports and the outbox, with a retry."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task
from wagtail.models import PageLogEntry

from hearings import jobs
from hearings.jobs import health
from hearings.models import HearingExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """A monitoring client: /healthz shows its details only with the token."""
    settings.AGORA_HEALTHZ_TOKEN = "monitor-token"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer monitor-token"
    return client


def test_the_migration_schedules_the_minute_job_and_the_nightly_digest():
    schedules = {s.func: s for s in Schedule.objects.all()}
    assert schedules["hearings.tasks.run_due_jobs"].schedule_type == Schedule.MINUTES
    assert schedules["hearings.tasks.run_due_jobs"].minutes == 1
    assert schedules["hearings.tasks.send_owner_digests"].schedule_type == Schedule.DAILY
    assert schedules["hearings.tasks.apply_retention"].schedule_type == Schedule.DAILY
    assert Schedule.objects.count() == 3


def test_healthz_reports_database_queue_and_worker(client):
    Schedule.objects.filter(func="hearings.tasks.run_due_jobs").update(next_run=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "queue": "ok", "worker": "ok"}
    assert body["queue"]["queued"] == 0

    async_task("hearings.tasks.run_due_jobs")
    body = client.get("/healthz").json()
    assert body["queue"]["queued"] == 1
    assert body["queue"]["oldest_queued_seconds"] >= 0


def test_a_stopped_worker_shows_as_late_and_can_fail_the_check(client, settings):
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    Schedule.objects.filter(func="hearings.tasks.run_due_jobs").update(next_run=ten_minutes_ago)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "late"
    assert response.json()["queue"]["schedule_lag_seconds"] >= 600

    settings.AGORA_HEALTHZ_REQUIRE_WORKER = True
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_healthz_answers_503_when_the_queue_is_unreachable(client, monkeypatch):
    def broken():
        raise ConnectionError("broker down")

    monkeypatch.setattr(health, "get_broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "error"


def test_an_admin_sees_a_failed_export_and_retries_it(client, hearing_for, cast):
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    HearingExport.objects.create(
        hearing=hearing, status="failed", attempts=5, last_error="ConnectionError: refused"
    )
    client.force_login(cast["admin"])
    page = client.get("/admin/hearing-exports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert hearing.title in html and "ConnectionError: refused" in html
    export = HearingExport.objects.get()
    assert f"/admin/hearing-exports/retry/{export.pk}/" in html

    assert client.get(f"/admin/hearing-exports/retry/{export.pk}/").status_code == 200
    response = client.post(f"/admin/hearing-exports/retry/{export.pk}/")
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == "pending" and export.attempts == 0
    assert PageLogEntry.objects.filter(
        page=hearing, action="hearings.export_requested", user=cast["admin"]
    ).exists()

    [line] = jobs.run_due_exports(timezone.now() + timedelta(seconds=1))
    assert "done" in line


def test_only_the_owner_and_admins_may_retry(client, hearing_for, cast, make_user):
    from django.contrib.auth.models import Group

    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    export = HearingExport.objects.create(hearing=hearing, status="failed", attempts=5)
    editors = Group.objects.get(name="Hearing editors")
    client.force_login(make_user("redaktoer", groups=["Hearing editors"]))
    client.post(f"/admin/hearing-exports/retry/{export.pk}/")
    export.refresh_from_db()
    assert export.status == "failed"  # another editor's hearing: refused

    cast["owner"].groups.add(editors)
    client.force_login(cast["owner"])
    assert client.post(f"/admin/hearing-exports/retry/{export.pk}/").status_code == 302
    export.refresh_from_db()
    assert export.status == "pending"


def test_the_outbox_is_listed_for_admins(client, cast):
    client.force_login(cast["admin"])
    assert client.get("/admin/outbox/").status_code == 200
