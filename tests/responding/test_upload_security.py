"""Uploads: scanned by a real clamd, macros refused, limits held before anything is stored,
and what is left behind removed by the job."""

import io
import os
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client
from django.utils import timezone

from hearings import attachments
from hearings.jobs import run_due_jobs
from hearings.models import HearingResponse, ResponseAttachment, ScanStatus
from hearings.storage import private_storage
from tests.fixtures.clamd import EICAR

from .conftest import pdf_bytes, valid_post

pytestmark = pytest.mark.django_db


def post_files(client, hearing, *uploads, **changes):
    data = valid_post(uuid.uuid4(), **changes)
    data["q-files"] = list(uploads)
    return client.post(hearing.url, data)


def stored_files():
    root = private_storage().location
    return [os.path.join(d, f) for d, __, files in os.walk(root) for f in files]


def ooxml(members, content_types="<Types/>"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Virus scanning ---------------------------------------------------------------------


def test_clamd_refuses_eicar_in_a_pdf_and_in_a_text_file(client, open_hearing, audience, clamd):
    client.force_login(audience["employee"])
    disguised = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
    plain = SimpleUploadedFile("note.txt", EICAR)
    page = post_files(client, open_hearing, disguised, plain).content.decode()
    assert "rapport.pdf was refused by the virus scanner." in page
    assert "note.txt was refused by the virus scanner." in page
    assert not ResponseAttachment.objects.exists()
    assert not HearingResponse.objects.exists()
    assert stored_files() == []


def test_clamd_accepts_a_clean_pdf_and_records_it_clean(client, open_hearing, audience, clamd):
    client.force_login(audience["employee"])
    page = post_files(client, open_hearing, SimpleUploadedFile("bilag.pdf", pdf_bytes()))
    assert page.status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.scan_status == ScanStatus.CLEAN
    assert attachment.response == HearingResponse.objects.get()


def test_with_clamd_down_uploads_are_refused_in_danish_and_healthz_says_so(
    open_hearing, audience, clamd_down, settings
):
    danish = Client(HTTP_ACCEPT_LANGUAGE="da")
    danish.force_login(audience["employee"])
    page = post_files(danish, open_hearing, SimpleUploadedFile("bilag.pdf", pdf_bytes()))
    assert "bilag.pdf kunne ikke tjekkes for virus. Prøv igen senere." in page.content.decode()
    assert not ResponseAttachment.objects.exists()
    assert not HearingResponse.objects.exists()

    settings.AGORA_HEALTHZ_TOKEN = "monitor"
    health = danish.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor")
    assert health.status_code == 503
    assert health.json()["checks"]["scanner"] == "error"
    assert Client().get("/healthz").json() == {"status": "error"}


def test_healthz_reports_a_running_scanner(client, clamd, settings, db):
    settings.AGORA_HEALTHZ_TOKEN = "monitor"
    health = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor")
    assert health.status_code == 200
    assert health.json()["checks"]["scanner"] == "ok"


# Macros -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "svar.docx",
            ooxml({"word/document.xml": "<document/>", "word/vbaProject.bin": b"\xd0\xcf"}),
        ),
        (
            "regneark.xlsx",
            ooxml(
                {"xl/workbook.xml": "<workbook/>"},
                '<Types><Override ContentType="application/vnd.ms-excel.sheet.'
                'macroEnabled.main+xml"/></Types>',
            ),
        ),
        ("makro.docm", ooxml({"word/document.xml": "<d/>", "word/vbaProject.bin": b"x"})),
        ("regneark.xlsm", ooxml({"xl/workbook.xml": "<w/>", "xl/vbaProject.bin": b"x"})),
    ],
)
def test_office_files_with_macros_are_refused(client, open_hearing, audience, name, content):
    client.force_login(audience["employee"])
    page = post_files(client, open_hearing, SimpleUploadedFile(name, content))
    assert f"{name} contains macros." in page.content.decode()
    assert not ResponseAttachment.objects.exists()


def test_an_odt_with_basic_macros_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("Basic/Standard/Module1.xml", "<script/>")
    assert attachments.detect_type(io.BytesIO(buffer.getvalue())) == attachments.MACROS


# Limits before storing ----------------------------------------------------------------


def test_more_files_than_the_question_allows_stores_none(client, open_hearing, audience):
    client.force_login(audience["employee"])  # the question allows 2
    files = [SimpleUploadedFile(f"bilag{i}.pdf", pdf_bytes()) for i in range(3)]
    page = post_files(client, open_hearing, *files)
    assert "Attach at most 2 files. None of the new files was saved." in page.content.decode()
    assert not ResponseAttachment.objects.exists()
    assert stored_files() == []


def test_files_already_kept_count_against_the_limit(client, open_hearing, audience):
    client.force_login(audience["employee"])
    first = post_files(
        client, open_hearing, SimpleUploadedFile("a.pdf", pdf_bytes()), **{"q-short": ""}
    )
    assert first.status_code == 200  # kept while the person fixes the other error
    kept = ResponseAttachment.objects.get()
    page = post_files(
        client,
        open_hearing,
        SimpleUploadedFile("b.pdf", pdf_bytes()),
        SimpleUploadedFile("c.pdf", pdf_bytes()),
        **{"q-short": "", "q-files-keep": [str(kept.pk)]},
    )
    assert "Attach at most 2 files." in page.content.decode()
    assert ResponseAttachment.objects.count() == 1


def test_the_upload_handler_stops_reading_past_the_limits(
    client, open_hearing, audience, settings
):
    settings.AGORA_ATTACHMENT_MAX_BYTES = 4096
    settings.AGORA_ATTACHMENT_MAX_FILES = 2
    client.force_login(audience["employee"])
    big = SimpleUploadedFile("stor.pdf", pdf_bytes() + b"0" * 100_000)
    page = post_files(client, open_hearing, big).content.decode()
    assert "stor.pdf is too large. Files may be up to 4.0\xa0KB." in page
    many = [SimpleUploadedFile(f"f{i}.pdf", pdf_bytes()) for i in range(4)]
    page = post_files(client, open_hearing, *many).content.decode()
    assert "f2.pdf was not saved: too many files in one go." in page
    assert "f3.pdf was not saved" in page
    assert sorted(ResponseAttachment.objects.values_list("name", flat=True)) == [
        "f0.pdf",
        "f1.pdf",
    ]
    assert not HearingResponse.objects.exists()


def test_the_due_jobs_remove_uploads_never_made_part_of_an_answer(
    client, open_hearing, audience, settings
):
    client.force_login(audience["employee"])
    post_files(  # an invalid post: the file is kept for the person, not yet an answer
        client, open_hearing, SimpleUploadedFile("a.pdf", pdf_bytes()), **{"q-short": ""}
    )
    post_files(client, open_hearing, SimpleUploadedFile("b.pdf", pdf_bytes()))  # answered
    assert ResponseAttachment.objects.count() == 2 and len(stored_files()) == 2
    stray = private_storage().save("attachments/1/stray/x.pdf", io.BytesIO(b"%PDF-"))

    assert not any("orphan" in line for line in run_due_jobs())  # all younger than a day

    later = timezone.now() + timedelta(hours=settings.AGORA_ORPHAN_UPLOAD_HOURS + 1)
    report = run_due_jobs(now=later)
    assert "orphan uploads: 2 removed" in report
    remaining = ResponseAttachment.objects.get()
    assert remaining.response is not None and remaining.name == "b.pdf"
    assert not private_storage().exists(stray)
    assert len(stored_files()) == 1


def test_the_upload_limits_leave_wagtails_admin_uploads_alone(settings, rf):
    settings.AGORA_ATTACHMENT_MAX_BYTES = 10
    chunk = b"x" * 100
    admin = attachments.LimitedUploadHandler(rf.post("/admin/documents/multiple/add/"))
    admin.new_file("files[]", "plan.pdf", "application/pdf", 100)
    assert admin.receive_data_chunk(chunk, 0) == chunk
    portal = attachments.LimitedUploadHandler(rf.post("/hearings/hjemmearbejde/"))
    portal.new_file("q-files", "plan.pdf", "application/pdf", 100)
    with pytest.raises(SkipFile):
        portal.receive_data_chunk(chunk, 0)
    assert portal.request.skipped_uploads == [("q-files", "plan.pdf", "too_large")]
