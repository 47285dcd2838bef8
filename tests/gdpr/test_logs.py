"""No personal data in the application log: a full journey (answer with a file, read,
moderate, export, file in the ESDH, mail) logged at DEBUG by every logger holds no
name, e-mail address, answer text or file name."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hearings.jobs import run_due_jobs
from hearings.models import HearingPage, HearingResponse
from tests.gdpr.conftest import CPR, PDF, SECRET_TEXT


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text}")


@pytest.fixture
def captured():
    """Every logger at DEBUG into one handler, restored afterwards."""
    handler = Everything()
    manager = logging.Logger.manager
    loggers = [logging.getLogger()] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled


def test_a_full_journey_logs_no_personal_data(client, people, hearing, captured, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    employee = people["employee"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Answer through the page, with a file.
    client.force_login(employee)
    answer = client.post(
        hearing.url,
        {
            "token": str(uuid.uuid4()),
            "action": "submit",
            "q-opinion": SECRET_TEXT,
            "q-agree": "yes",
            "q-files": SimpleUploadedFile("Holmegaards-bilag.pdf", PDF, "application/pdf"),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    response = HearingResponse.objects.get(respondent=employee)
    assert response.attachments.count() == 1
    # Staff read, moderate and export it.
    client.force_login(people["moderator"])
    assert client.get(f"/api/v1/responses/{response.pk}").status_code == 200
    assert client.get(reverse("hearing_responses:inspect", args=[response.pk])).status_code == 200
    attachment = response.attachments.get()
    assert client.get(reverse("hearings:attachment", args=[attachment.pk])).status_code == 200
    approve = client.post(reverse("hearing_responses:approve", args=[response.pk]))
    assert approve.status_code == 302
    for kind in ("csv", "xlsx"):
        export = client.get(reverse("hearing_responses:export", args=[hearing.pk, kind]))
        assert export.status_code == 200
    # Close, conclude, file in the ESDH and send the mails.
    HearingPage.objects.filter(pk=hearing.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1), conclusion="<p>Vi gør det.</p>"
    )
    run_due_jobs()
    run_due_jobs()
    assert mail.outbox, "the journey sends mail"
    assert HearingPage.objects.get(pk=hearing.pk).filed_documents.exists()

    logged = "\n".join(captured.lines)
    assert logged, "the journey logs something, so the test can see"
    for personal in (
        "Emma",
        "Holmegaard",
        "emma@example.dk",
        "Mads",
        "mads@example.dk",
        "Birgitte",
        SECRET_TEXT,
        CPR,
        "Holmegaards-bilag",
    ):
        assert personal not in logged, f"{personal!r} in the log:\n{logged}"
