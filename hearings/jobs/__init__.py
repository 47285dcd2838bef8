"""Everything that is due, run once: the one entry point of the minute job.

``run_due_jobs`` is called by the django-q2 schedule every minute and by
``manage.py run_due_jobs``; it is safe to run in several workers at the same moment
(each step is exactly-once on its own, see ``hearings.jobs.transitions`` and
``hearings.exports.service``). It returns what it did, one line per action.
The queue's health for ``/healthz`` is in ``hearings.jobs.health``.
"""

import io
import logging
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from hearings import attachments, notifications, retention
from hearings.exports import service as exports
from hearings.jobs import transitions
from hearings.jobs.health import queue_health
from hearings.models import HearingPage

__all__ = ["queue_health", "run_due_jobs", "send_owner_digests"]

logger = logging.getLogger(__name__)


@contextmanager
def exclusive(name):
    """Yield True for the one worker that gets ``name`` for this transaction.

    On PostgreSQL a transaction-scoped advisory lock; SQLite serialises writers anyway.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [name])
            yield cursor.fetchone()[0]


def publish_scheduled():
    """Wagtail's scheduled publishing and unpublishing, by one worker at a time."""
    with exclusive("agora:publish_scheduled") as mine:
        if not mine:
            return ""
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        return out.getvalue().strip()


def run_due_jobs(now=None):
    """Run what is due at ``now`` (default: this instant); return a report, line by line.

    A step that fails is logged and reported as an "error:" line; the other steps still
    run, and the next run tries the failed one again.
    """
    report = []

    def step(name, function):
        try:
            report.extend(function())
        except Exception as error:
            logger.exception("run_due_jobs: %s failed", name)
            report.append(f"error: {name}: {type(error).__name__}: {error}")

    step("publish_scheduled", run_publish_scheduled)
    now = now or timezone.now()
    step("opening", lambda: report_openings(now))
    step("reminders", lambda: report_reminders(now))
    step("closing", lambda: report_closings(now))
    step("exports", lambda: run_due_exports(now))
    step("outbox", lambda: flush_outbox(now))
    step("orphan uploads", lambda: report_orphans(now))
    for line in report:
        logger.info("run_due_jobs: %s", line)
    return report


def run_publish_scheduled():
    published = publish_scheduled()
    if published and "Nothing to" not in published:
        return [f"publish_scheduled: {published}"]
    return []


def report_openings(now):
    return [
        f"opened: {hearing.title} (#{hearing.pk}), {queued} invitation(s) queued"
        for hearing, queued in transitions.open_hearings(now)
    ]


def report_reminders(now):
    return [
        f"reminded: {hearing.title} (#{hearing.pk}), {queued} reminder(s) queued"
        for hearing, queued in transitions.remind_audiences(now)
    ]


def report_closings(now):
    lines = []
    for hearing, outcome in transitions.close_hearings(now):
        line = f"closed: {hearing.title} (#{hearing.pk})"
        if outcome["owner_notified"]:
            line += ", owner notified"
        if outcome["export_requested"]:
            line += ", export requested"
        lines.append(line)
    return lines


def flush_outbox(now):
    sent, failed = notifications.flush(now)
    if sent or failed:
        return [f"outbox: {sent} sent, {failed} failed (kept for retry)"]
    return []


def report_orphans(now):
    removed = retention.remove_orphan_uploads(now) + attachments.remove_stray_files(now)
    return [f"orphan uploads: {removed} removed"] if removed else []


def run_due_exports(now):
    lines = []
    for hearing_id in list(exports.due_exports(now)):
        hearing = HearingPage.objects.get(pk=hearing_id)
        result = exports.export_hearing(hearing, now=now, manual=False)
        if result.status != "busy":
            lines.append(f"export: {result}")
    return lines


def send_owner_digests(now=None):
    queued = notifications.queue_owner_digests(now)
    sent, failed = notifications.flush(now)
    return [f"digest: {queued} queued; outbox: {sent} sent, {failed} failed"]
