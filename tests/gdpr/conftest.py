"""Fixtures for data protection: a hearing answered with words, choices and a file,
closed, concluded and filed in a temporary ESDH folder when a test asks for it."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from hearings import responding
from hearings.exports import service as exports
from hearings.models import HearingPage, PublishResponses, ResponseAttachment, ScanStatus

CPR = "010203-1234"
SECRET_TEXT = f"Min kollega Birgitte Bøgh er syg, mit CPR-nummer er {CPR}"


def question(kind, block_id, label, **extra):
    value = {"label": label, "help_text": "", "required": False, **extra}
    return {"type": kind, "id": block_id, "value": value}


FORM = [
    question("long_text", "opinion", "Din mening"),
    question(
        "single_choice",
        "agree",
        "Er du enig?",
        options=[
            {"type": "item", "value": "Ja", "id": "yes"},
            {"type": "item", "value": "Nej", "id": "no"},
        ],
    ),
    question("file_upload", "files", "Bilag", max_files=2, max_size_mb=5, allowed_types=["pdf"]),
]


def answers(opinion=SECRET_TEXT, agree="yes"):
    return {
        "opinion": {
            "type": "long_text",
            "label": "Din mening",
            "value": opinion,
            "display": opinion,
        },
        "agree": {
            "type": "single_choice",
            "label": "Er du enig?",
            "value": agree,
            "display": {"yes": "Ja", "no": "Nej"}[agree],
        },
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.AGORA_PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def filed_in(esdh_dir):
    return esdh_dir


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(departments, make_user):
    return {
        "admin": make_user("root", is_superuser=True, is_staff=True),
        "moderator": make_user("mads", groups=["Response moderators"], first_name="Mads"),
        "owner": make_user("olga", groups=["Hearing editors"], first_name="Olga"),
        "employee": make_user(
            "emma", department=departments["team"], first_name="Emma", last_name="Holmegaard"
        ),
        "colleague": make_user(
            "jonas", department=departments["center"], first_name="Jonas", last_name="Vestergaard"
        ),
    }


@pytest.fixture
def make_gdpr_hearing(make_hearing, departments, people):
    def make(title="Ny parkeringspolitik"):
        hearing = make_hearing(
            title=title,
            departments=[departments["kommune"]],
            hearing_owner=people["owner"],
            publish_responses=PublishResponses.AFTER_MODERATION,
        )
        hearing.response_form = FORM
        hearing.save_revision().publish()
        return HearingPage.objects.get(pk=hearing.pk)

    return make


@pytest.fixture
def hearing(make_gdpr_hearing):
    return make_gdpr_hearing()


def upload(user, hearing, name="bilag.pdf", content=PDF):
    attachment = ResponseAttachment(
        hearing=hearing,
        uploaded_by=user,
        question_id="files",
        original_name=name,
        name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        scan_status=ScanStatus.SKIPPED,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def submit(user, hearing, opinion=SECRET_TEXT, with_file=True, send_receipt=False):
    ids = [upload(user, hearing).pk] if with_file else []
    return responding.submit(
        user,
        hearing,
        answers(opinion),
        token=uuid.uuid4(),
        on_behalf_of=("myself", ""),
        attachment_ids=ids,
        send_receipt=send_receipt,
    ).response


@pytest.fixture
def response(hearing, people):
    return submit(people["employee"], hearing)


def conclude_and_file(hearing, days_ago=0):
    """Close and conclude ``hearing``, file it, and date the filing ``days_ago``."""
    now = timezone.now()
    HearingPage.objects.filter(pk=hearing.pk).update(
        closes_at=now - timedelta(days=days_ago + 1), conclusion="<p>Vi gør det.</p>"
    )
    hearing = HearingPage.objects.get(pk=hearing.pk)
    result = exports.export_hearing(hearing)
    assert result.status == "done", result
    export = hearing.esdh_export
    export.refresh_from_db()
    assert export.case_closed_at is not None
    export.case_closed_at = now - timedelta(days=days_ago)
    export.save(update_fields=["case_closed_at"])
    return hearing
