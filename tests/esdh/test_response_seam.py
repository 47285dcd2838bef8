"""The seam where responses join the export (hearings.exports.responses).

Until HearingResponse is merged, ``response_documents`` returns nothing; these tests
stand in for it to show that whatever it returns is filed once, in order, with each
attachment related to its response, and that the site setting chooses which responses.
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


def test_until_responses_are_merged_no_response_is_exported(hearing_for):
    assert responses.response_documents(hearing_for()) == []


def test_responses_from_the_seam_are_filed_once_with_their_attachments(
    hearing_for, esdh_dir, monkeypatch, site
):
    calls = []
    monkeypatch.setattr(service, "response_documents", fake_responses(calls))
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    assert service.export_hearing(hearing).status == "done"
    assert calls == [True]  # published responses only, by default

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
    settings.responses_to_export = "all"
    settings.save()
    service.export_hearing(hearing)
    assert calls[-1] is False


def test_responses_are_not_exported_while_the_hearing_is_open(hearing_for, monkeypatch):
    calls = []
    monkeypatch.setattr(service, "response_documents", fake_responses(calls))
    hearing = hearing_for()
    assert service.export_hearing(hearing).filed == ["01-hearing.pdf"]
    assert calls == []


def test_the_response_template_shows_answers_with_their_label_snapshots(hearing_for, cast):
    from types import SimpleNamespace

    from django.utils import timezone

    from hearings.exports.items import render

    response = SimpleNamespace(
        reference="H-7-0003",
        respondent=cast["team"],
        submitted_at=timezone.now(),
        answers={
            "q-1": {"label": "Hvad synes du?", "value": "Godt forslag"},
            "q-2": "et svar uden etiket",
        },
    )
    html = render(
        "hearings/exports/response.html",
        {"hearing": hearing_for(), "response": response, "number": 3},
    )
    assert "H-7-0003" in html and "team1" in html
    assert "Hvad synes du?" in html and "Godt forslag" in html
    assert "et svar uden etiket" in html
