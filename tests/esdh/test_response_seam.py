"""Where responses join the export (hearings.exports.responses): real responses with
their attachments are filed once each, and the seam files whatever it returns in order,
each attachment related to its response. Every response handed in and not withdrawn is
filed by default; a site may choose published ones only.
"""

from datetime import timedelta

import pytest

from hearings.exports import responses, service
from hearings.exports.items import ExportItem, pdf_item
from hearings.models import HearingSettings
from tests.jobs.fixtures import case_folders, read_manifest

pytestmark = pytest.mark.django_db


def fake_responses(calls):
    def response_documents(hearing, approved_only=True):
        calls.append(approved_only)
        return [
            pdf_item("response-1", "response", "Svar 1", "10-response-0001.pdf", "<p>Ja</p>"),
            ExportItem(
                source_key="response-1-attachment-1",
                kind="response_attachment",
                title="Bilag",
                filename="10-response-0001-bilag.txt",
                source=b"bilag",
                build=lambda: b"bilag",
                mime_type="text/plain",
                parent_key="response-1",
            ),
        ]

    return response_documents


def real_response(hearing, user, status, number, with_attachment=False):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from hearings.models import HearingResponse, ResponseAttachment

    response = HearingResponse.objects.create(
        hearing=hearing,
        respondent=user,
        status=status,
        sequence=number,
        reference=f"H-2026-{hearing.pk:04d}-{number:04d}",
        submitted_at=timezone.now(),
        answers={"q1": {"type": "long_text", "label": "Hvad mener du?", "display": "Godt"}},
    )
    if with_attachment:
        attachment = ResponseAttachment(
            hearing=hearing,
            response=response,
            uploaded_by=user,
            question_id="q2",
            original_name="bilag.txt",
            name="bilag.txt",
            content_type="text/plain",
            size=5,
            sha256="0" * 64,
        )
        attachment.file.save("bilag.txt", ContentFile(b"bilag"), save=False)
        attachment.save()
    return response


def test_every_standing_response_is_filed_with_its_attachments_and_withdrawn_ones_are_not(
    hearing_for, cast, esdh_dir
):
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    published = real_response(hearing, cast["team"], "published", 1, with_attachment=True)
    rejected = real_response(hearing, cast["center"], "rejected", 2)
    withdrawn = real_response(hearing, cast["owner"], "withdrawn", 3)

    items = responses.response_documents(hearing)
    assert [i.kind for i in items] == ["response", "response_attachment", "response"]
    assert items[1].parent_key == items[0].source_key == f"response-{published.pk}"

    assert service.export_hearing(hearing).status == "done"
    [folder] = case_folders(esdh_dir)
    files = [d["file"] for d in read_manifest(folder)["documents"]]
    assert files == [
        "01-hearing.pdf",
        "09-response-register.pdf",
        f"10-response-{published.reference}.pdf",
        f"10-response-{published.reference}-bilag.txt",
        f"10-response-{rejected.reference}.pdf",
    ]
    assert withdrawn.reference not in " ".join(files)
    assert service.export_hearing(hearing).filed == []


def test_a_site_that_chose_published_only_files_the_published_ones(
    hearing_for, cast, esdh_dir, site
):
    settings = HearingSettings.for_site(site)
    settings.responses_to_export = "approved"
    settings.save()
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    published = real_response(hearing, cast["team"], "published", 1)
    real_response(hearing, cast["center"], "rejected", 2)
    real_response(hearing, cast["outsider"], "submitted", 3)

    assert [i.source_key for i in responses.response_documents(hearing, approved_only=True)] == [
        f"response-{published.pk}"
    ]
    service.export_hearing(hearing)
    [folder] = case_folders(esdh_dir)
    kinds = [d["metadata"]["kind"] for d in read_manifest(folder)["documents"]]
    assert kinds == ["hearing_text", "response_register", "response"]


def test_responses_from_the_seam_are_filed_once_with_their_attachments(
    hearing_for, esdh_dir, monkeypatch, site
):
    calls = []
    monkeypatch.setattr(service, "response_documents", fake_responses(calls))
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    assert service.export_hearing(hearing).status == "done"
    assert calls == [False]  # every response handed in, by default

    [folder] = case_folders(esdh_dir)
    documents = {d["file"]: d for d in read_manifest(folder)["documents"]}
    assert list(documents) == [
        "01-hearing.pdf",
        "10-response-0001.pdf",
        "10-response-0001-bilag.txt",
    ]
    assert documents["10-response-0001-bilag.txt"]["parent"] == "10-response-0001.pdf"
    assert service.export_hearing(hearing).filed == []

    settings = HearingSettings.for_site(site)
    settings.responses_to_export = "approved"
    settings.save()
    service.export_hearing(hearing)
    assert calls[-1] is True


def test_responses_are_not_exported_while_the_hearing_is_open(hearing_for, monkeypatch):
    calls = []
    monkeypatch.setattr(service, "response_documents", fake_responses(calls))
    hearing = hearing_for()
    assert service.export_hearing(hearing).filed == ["01-hearing.pdf"]
    assert calls == []


def test_the_response_document_shows_answers_with_their_label_snapshots(hearing_for, cast):
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    response = real_response(hearing, cast["team"], "published", 3)
    response.answers = {
        "q-1": {"label": "Hvad synes du?", "value": "good", "display": "Godt forslag"},
    }
    response.save()
    [item] = responses.response_documents(hearing)
    html = item.source.decode()
    assert response.reference in html and "team1" in html
    assert "Hvad synes du?" in html and "Godt forslag" in html
