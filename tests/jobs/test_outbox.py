"""The notification outbox: nothing queued twice, nothing sent twice, nothing lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from hearings import notifications
from hearings.models import Notification

pytestmark = pytest.mark.django_db

SMTP_DOWN = "tests.jobs.test_outbox.SMTPDownBackend"


class SMTPDownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused")


def queue_opening(hearing, user, key="opened"):
    return notifications.queue(
        notifications.Kind.HEARING_OPENED,
        recipient=user.email,
        dedupe_key=key,
        context={"url": "http://testserver/h/"},
        hearing=hearing,
        user=user,
    )


def test_the_same_notification_is_queued_once(hearing_for, cast):
    hearing = hearing_for(title="Ny kantine")
    assert queue_opening(hearing, cast["team"]) is not None
    assert queue_opening(hearing, cast["team"]) is None
    [row] = Notification.objects.all()
    assert "Ny kantine" in row.subject
    assert "Ny kantine" in row.body_text and "<p>" in row.body_html


def test_while_smtp_is_down_mails_are_kept_and_later_sent_once(hearing_for, cast, settings):
    hearing = hearing_for()
    queue_opening(hearing, cast["team"])
    settings.EMAIL_BACKEND = SMTP_DOWN
    assert notifications.flush() == (0, 1)
    row = Notification.objects.get()
    assert row.status == "queued" and row.attempts == 1
    assert "Connection refused" in row.last_error
    assert notifications.flush() == (0, 0)  # backing off: not due yet

    later = timezone.now() + timedelta(minutes=2)
    assert notifications.flush(later) == (0, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.flush(later) == (0, 0)  # waits out the longer backoff
    assert notifications.flush(later + timedelta(minutes=5)) == (1, 0)
    assert notifications.flush(later + timedelta(days=1)) == (0, 0)
    assert [m.to for m in mail.outbox] == [["team1@example.dk"]]
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3 and row.last_error == ""


def test_after_the_last_attempt_a_mail_is_marked_failed(hearing_for, cast, settings):
    settings.EMAIL_BACKEND = SMTP_DOWN
    settings.AGORA_NOTIFICATION_MAX_ATTEMPTS = 2
    queue_opening(hearing_for(), cast["team"])
    notifications.flush()
    notifications.flush(timezone.now() + timedelta(hours=1))
    row = Notification.objects.get()
    assert row.status == "failed" and row.attempts == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notifications.flush(timezone.now() + timedelta(days=2))
    assert mail.outbox == []


def test_a_mail_caught_mid_send_is_never_sent_again(hearing_for, cast):
    row = queue_opening(hearing_for(), cast["team"])
    claimed = notifications.claim(timezone.now())
    assert claimed.pk == row.pk and claimed.status == "sending"
    # The worker dies here. Nothing sends the row again.
    assert notifications.flush(timezone.now() + timedelta(days=1)) == (0, 0)
    assert mail.outbox == []


def test_users_without_an_address_are_skipped(hearing_for, cast):
    cast["team"].email = ""
    cast["team"].save()
    queued = notifications.queue_for_users(
        notifications.Kind.HEARING_OPENED,
        [cast["team"], cast["center"]],
        key="k",
        context={"url": "/"},
        hearing=hearing_for(),
    )
    assert queued == 1


def test_a_response_receipt_is_queued_once_per_submission(
    hearing_for, cast, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from hearings.models import HearingResponse, Notification

    hearing = hearing_for(title="Parkering")
    response = HearingResponse.objects.create(
        hearing=hearing,
        respondent=cast["team"],
        status="submitted",
        reference="H-2026-0042-0001",
        submitted_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.receipt(response)
        notifications.receipt(response)  # the same revision: not queued again
    assert Notification.objects.filter(kind=Notification.Kind.RESPONSE_RECEIPT).count() == 1
    # Sent right after the save, without waiting for the job.
    [receipt] = mail.outbox
    assert receipt.to == ["team1@example.dk"]
    assert "H-2026-0042-0001" in receipt.body and "H-2026-0042-0001" in receipt.subject
    assert "Parkering" in receipt.body
    notifications.flush()
    assert len(mail.outbox) == 1
