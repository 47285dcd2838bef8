"""Attachments are checked by content, kept private and shown only to those allowed."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from hearings import attachments
from hearings.models import HearingResponse, ResponseAttachment

from .conftest import docx_bytes, odt_bytes, pdf_bytes, valid_post, xlsx_bytes

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    "content, expected",
    [
        (pdf_bytes(), "pdf"),
        (docx_bytes(), "docx"),
        (xlsx_bytes(), "xlsx"),
        (odt_bytes(), "odt"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        ("Høringssvar i ren tekst.\n".encode(), "txt"),
        (EXECUTABLE, None),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, None),
    ],
)
def test_the_type_is_decided_by_content(content, expected):
    assert attachments.detect_type(io.BytesIO(content)) == expected


def test_a_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXECUTABLE)
    assert attachments.detect_type(buffer) is None


@pytest.mark.parametrize(
    "name, file_type, expected",
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\emma\\Mit svar.PDF", "pdf", "Mit svar.pdf"),
        ("<script>alert(1)</script>.txt", "txt", "script.txt"),
        ("svar<script>&|;.txt", "txt", "svar_script.txt"),
        ("rapport.exe", "pdf", "rapport.pdf"),
        ("foto.jpeg", "jpeg", "foto.jpeg"),
        ("...", "png", "fil.png"),
        ("æøå bilag.docx", "docx", "æøå bilag.docx"),
    ],
)
def test_file_names_are_sanitised(name, file_type, expected):
    assert attachments.sanitise_name(name, file_type) == expected


def post_with_file(client, hearing, upload, **changes):
    data = valid_post(uuid.uuid4(), **changes)
    data["q-files"] = upload
    return client.post(hearing.url, data)


def test_an_executable_renamed_pdf_is_refused(client, open_hearing, audience):
    client.force_login(audience["employee"])
    page = post_with_file(
        client, open_hearing, SimpleUploadedFile("svar.pdf", EXECUTABLE, "application/pdf")
    )
    assert page.status_code == 200
    assert "svar.pdf is not an allowed file type." in page.content.decode()
    assert not ResponseAttachment.objects.exists()
    assert not HearingResponse.objects.exists()


def test_an_oversized_file_is_refused(client, open_hearing, audience, settings):
    settings.AGORA_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(audience["employee"])
    big = pdf_bytes() + b"0" * 2048
    page = post_with_file(client, open_hearing, SimpleUploadedFile("stor.pdf", big))
    assert page.status_code == 200
    assert "stor.pdf is too large" in page.content.decode()
    assert not ResponseAttachment.objects.exists()


def test_the_scanner_hook_can_refuse_a_file(client, open_hearing, audience, settings):
    settings.AGORA_ATTACHMENT_SCANNER = "tests.responding.test_attachments.infected_scanner"
    client.force_login(audience["employee"])
    page = post_with_file(client, open_hearing, SimpleUploadedFile("virus.pdf", pdf_bytes()))
    assert "virus.pdf was refused by the virus scanner." in page.content.decode()
    assert not ResponseAttachment.objects.exists()


def infected_scanner(upload):
    assert upload.read(5) == b"%PDF-"
    return "infected", "Eicar-Test-Signature"


def test_an_uploaded_file_stays_attached_while_other_errors_are_fixed(
    client, open_hearing, audience
):
    client.force_login(audience["employee"])
    first = post_with_file(
        client,
        open_hearing,
        SimpleUploadedFile("bilag.pdf", pdf_bytes()),
        **{"q-short": ""},  # an error elsewhere
    )
    assert first.status_code == 200
    attachment = ResponseAttachment.objects.get()
    assert attachment.response is None and attachment.uploaded_by == audience["employee"]
    html = first.content.decode()
    assert f'name="q-files-keep" value="{attachment.pk}" checked' in html

    # The next attempt sends no file again, only keeps the one attached.
    second = client.post(
        open_hearing.url, valid_post(uuid.uuid4(), **{"q-files-keep": str(attachment.pk)})
    )
    assert second.status_code == 302
    response = HearingResponse.objects.get()
    assert [a.pk for a in response.current_attachments()] == [attachment.pk]
    assert response.answers["files"]["value"] == [attachment.pk]
    assert response.answers["files"]["files"][0]["sha256"] == attachment.sha256


def test_the_same_file_sent_again_after_a_failed_hand_in_is_attached_once(
    client, open_hearing, audience
):
    """Found walking the demo: the file kept from a failed hand-in, chosen and sent again
    on a later visit, was in the answer twice."""
    client.force_login(audience["employee"])
    post_with_file(
        client, open_hearing, SimpleUploadedFile("notat.pdf", pdf_bytes()), **{"q-short": ""}
    )
    kept = ResponseAttachment.objects.get()
    # A fresh visit: the same file chosen again, and the one kept left ticked.
    data = valid_post(uuid.uuid4(), **{"q-files-keep": str(kept.pk)})
    data["q-files"] = SimpleUploadedFile("notat.pdf", pdf_bytes())
    assert client.post(open_hearing.url, data).status_code == 302
    response = HearingResponse.objects.get()
    assert [a.pk for a in response.current_attachments()] == [kept.pk]
    assert ResponseAttachment.objects.count() == 1


def test_a_different_file_of_the_same_name_is_a_second_attachment(client, open_hearing, audience):
    client.force_login(audience["employee"])
    post_with_file(
        client, open_hearing, SimpleUploadedFile("notat.pdf", pdf_bytes()), **{"q-short": ""}
    )
    kept = ResponseAttachment.objects.get()
    data = valid_post(uuid.uuid4(), **{"q-files-keep": str(kept.pk)})
    data["q-files"] = SimpleUploadedFile("notat.pdf", pdf_bytes() + b"\n% rettet\n")
    assert client.post(open_hearing.url, data).status_code == 302
    assert len(HearingResponse.objects.get().current_attachments()) == 2


def test_attachments_are_stored_privately_with_checksum_and_type(client, open_hearing, audience):
    client.force_login(audience["employee"])
    post_with_file(client, open_hearing, SimpleUploadedFile("notat.docx", docx_bytes()))
    attachment = ResponseAttachment.objects.get()
    path = attachment.file.path
    assert path.startswith(str(settings.AGORA_PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert attachment.size == len(docx_bytes())
    assert len(attachment.sha256) == 64
    assert attachment.scan_status == "skipped"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL exists


def test_an_outsider_gets_404_for_the_hearing_and_its_attachments(
    client, open_hearing, audience, make_user, departments
):
    client.force_login(audience["employee"])
    post_with_file(client, open_hearing, SimpleUploadedFile("bilag.pdf", pdf_bytes()))
    attachment = ResponseAttachment.objects.get()
    response = HearingResponse.objects.get()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200

    client.force_login(audience["outsider"])
    assert client.get(open_hearing.url).status_code == 404
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    receipt = open_hearing.url + open_hearing.reverse_subpage("receipt", args=[response.pk])
    assert client.get(receipt).status_code == 404

    # A colleague invited to the same hearing cannot see another person's files either.
    client.force_login(audience["colleague"])
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client.get(receipt).status_code == 404

    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_staff_with_access_to_the_hearing_may_download(client, open_hearing, audience, make_user):
    client.force_login(audience["employee"])
    post_with_file(client, open_hearing, SimpleUploadedFile("bilag.pdf", pdf_bytes()))
    attachment = ResponseAttachment.objects.get()
    moderator = make_user("moderator", groups=["Response moderators"])
    client.force_login(moderator)
    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
