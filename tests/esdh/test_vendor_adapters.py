"""The GetOrganized and SBSYS adapters, against contract servers built from the vendors'
documented APIs (tests/esdh/servers.py) — not against the vendors' systems."""

import pytest
from django.core.management import CommandError, call_command

from hearings.esdh import CaseInfo, ESDHError
from hearings.esdh.getorganized import GetOrganizedAdapter
from hearings.exports.service import export_hearing
from hearings.models import FiledDocument, HearingExport

from .servers import parse_row

pytestmark = pytest.mark.django_db


def test_a_concluded_hearing_is_filed_in_getorganized_once(concluded_hearing, getorganized):
    result = export_hearing(concluded_hearing)
    assert result.status == "done", result.error
    assert result.case_closed

    [(case_id, case)] = getorganized.cases.items()
    assert case_id.startswith("GEN-2026-")
    assert case["metadata"]["ows_Title"] == concluded_hearing.title
    assert case["metadata"]["ows_KLENummer"] == "00.01.00"
    assert case["metadata"]["ows_ExternalReference"] == f"agora-hearing-{concluded_hearing.pk}"
    assert case["closed"]
    documents = [getorganized.documents[doc_id] for doc_id in case["documents"]]
    assert [d["filename"] for d in documents] == [
        "01-hearing.pdf",
        f"02-attachment-{documents[1]['filename'].split('-')[2]}-budget.txt",
        documents[2]["filename"],
        "99-conclusion.pdf",
    ]
    assert documents[0]["content"].startswith(b"%PDF-")
    assert documents[1]["content"] == b"Budget 2027"
    assert all(d["finalized"] for d in documents)
    hearing_text, *rest = case["documents"]
    assert {(parent, child) for parent, child, _ in getorganized.relations} == {
        (hearing_text, child) for child in rest
    }
    # the file's checksum travels in the metadata, and Agora records it
    for doc_id, document in zip(case["documents"], documents, strict=True):
        record = FiledDocument.objects.get(remote_id=str(doc_id))
        assert document["metadata"]["ows_SHA256"] == record.sha256

    again = export_hearing(concluded_hearing, manual=True)
    assert again.filed == [] and again.skipped == 4
    assert len(getorganized.documents) == 4


def test_an_existing_getorganized_case_typed_in_by_the_editor_is_used(hearing_for, getorganized):
    adapter = GetOrganizedAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="elsewhere", title="Eksisterende sag"))
    hearing = hearing_for(esdh_case_number=case_id)
    assert export_hearing(hearing).status == "done"
    assert list(getorganized.cases) == [case_id]
    assert len(getorganized.cases[case_id]["documents"]) == 1


def test_getorganized_refuses_wrong_credentials(getorganized, settings):
    settings.AGORA_GETORGANIZED_PASSWORD = "forkert"
    with pytest.raises(ESDHError, match="401"):
        GetOrganizedAdapter().ensure_case(CaseInfo(reference="x", title="y"))
    assert getorganized.cases == {}


def test_getorganized_metadata_is_a_valid_xml_row():
    from hearings.esdh.getorganized import metadata_xml

    row = parse_row(metadata_xml({"Title": 'Høring om "parkering" & <cykler>', "Empty": ""}))
    assert row == {"ows_Title": 'Høring om "parkering" & <cykler>'}


def test_a_concluded_hearing_is_journalized_in_sbsys_once(concluded_hearing, sbsys):
    call_command("export_hearing", str(concluded_hearing.pk))

    [case] = sbsys.cases.values()
    assert case["Titel"] == concluded_hearing.title
    assert case["KLENummer"] == "00.01.00"
    assert case["Status"] == "Afsluttet"
    assert len(sbsys.documents) == 4
    [folder_documents] = sbsys.folders.values()
    assert sorted(folder_documents) == sorted(sbsys.documents)
    text_id = next(i for i, d in sbsys.documents.items() if d["filename"] == "01-hearing.pdf")
    attachments = [d for d in sbsys.documents.values() if d["filename"].startswith("02-")]
    assert {d["parent"] for d in attachments} == {str(text_id)}
    assert sbsys.token_requests == 1  # one token for the whole export

    call_command("export_hearing", str(concluded_hearing.pk))
    assert len(sbsys.documents) == 4


def test_sbsys_refuses_a_bad_client_secret(concluded_hearing, sbsys, settings):
    settings.AGORA_SBSYS_CLIENT_SECRET = "forkert"
    with pytest.raises(CommandError, match="401"):
        call_command("export_hearing", str(concluded_hearing.pk))
    assert sbsys.cases == {}
    export = HearingExport.objects.get(hearing=concluded_hearing)
    assert export.status == "pending" and "401" in export.last_error


def test_an_expired_sbsys_token_is_renewed(sbsys):
    from hearings.esdh.sbsys import SBSYSAdapter

    adapter = SBSYSAdapter()
    first = adapter.ensure_case(CaseInfo(reference="a", title="Første"))
    adapter.token_expires = 0  # as if five minutes had passed
    second = adapter.ensure_case(CaseInfo(reference="b", title="Anden"))
    assert first != second
    assert sbsys.token_requests == 2


def test_ntlm_without_requests_ntlm_is_a_configuration_error(getorganized, monkeypatch):
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setitem(sys.modules, "requests_ntlm", None)  # not installed
    with pytest.raises(ImproperlyConfigured, match="requests-ntlm"):
        GetOrganizedAdapter(auth="ntlm")


def closed_with_a_response(hearing_for, cast):
    from datetime import timedelta

    from django.utils import timezone

    from hearings.models import HearingResponse

    hearing = hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))
    response = HearingResponse.objects.create(
        hearing=hearing,
        respondent=cast["team"],
        status="rejected",
        sequence=1,
        reference=f"H-2026-{hearing.pk:04d}-0001",
        submitted_at=timezone.now() - timedelta(days=2),
        on_behalf_of_kind="organisation",
        on_behalf_of_name="Lokal-MED",
        answers={"q": {"type": "long_text", "label": "Svar", "display": "Nej tak"}},
    )
    return hearing, response


def test_getorganized_documents_carry_the_responses_sender_received_time_and_reference(
    hearing_for, cast, getorganized
):
    hearing, response = closed_with_a_response(hearing_for, cast)
    assert export_hearing(hearing).status == "done"
    [document] = [
        d for d in getorganized.documents.values() if d["filename"].startswith("10-response-")
    ]
    assert document["filename"] == f"10-response-{response.reference}.pdf"
    metadata = document["metadata"]
    assert metadata["ows_Title"] == f"Høringssvar {response.reference}"
    assert metadata["ows_Svarreference"] == response.reference
    assert metadata["ows_Afsender"] == "team1"
    assert metadata["ows_AfsenderOrganisation"] == "Team"
    assert metadata["ows_PaaVegneAf"] == "En organisation: Lokal-MED"
    assert metadata["ows_Modtaget"].startswith(str(response.submitted_at.year))
    assert metadata["ows_Moderationsstatus"] == "rejected"
    assert metadata["ows_Afdeling"] == "Other"  # the owner's department


def test_sbsys_documents_carry_the_responses_sender_received_time_and_reference(
    hearing_for, cast, sbsys
):
    hearing, response = closed_with_a_response(hearing_for, cast)
    call_command("export_hearing", str(hearing.pk))
    [document] = [d for d in sbsys.documents.values() if d["filename"].startswith("10-response-")]
    assert document["name"] == f"Høringssvar {response.reference}"
    metadata = document["metadata"]
    assert metadata["reference"] == response.reference
    assert metadata["sender_name"] == "team1"
    assert metadata["sender_department"] == "Team"
    assert metadata["on_behalf_of"] == "En organisation: Lokal-MED"
    assert metadata["received_at"].startswith(str(response.submitted_at.year))
    assert metadata["moderation_status"] == "rejected"
    assert metadata["department"] == "Other"
