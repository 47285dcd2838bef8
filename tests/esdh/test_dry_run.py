"""``export_hearing --dry-run``: every adapter prints what it would send, sends nothing,
writes nothing, records nothing and never prints a secret."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from hearings.exports.service import export_hearing
from hearings.models import FiledDocument, HearingExport

pytestmark = pytest.mark.django_db


def dry_run(hearing, *extra):
    out = io.StringIO()
    call_command("export_hearing", str(hearing.pk), "--dry-run", *extra, stdout=out)
    return out.getvalue()


def assert_nothing_recorded():
    assert FiledDocument.objects.count() == 0
    assert HearingExport.objects.count() == 0


def test_a_getorganized_dry_run_prints_every_request_and_sends_none(
    concluded_hearing, getorganized
):
    output = dry_run(concluded_hearing)

    assert getorganized.requests == []
    assert getorganized.cases == {} and getorganized.documents == {}
    assert_nothing_recorded()
    assert "POST /sager/_goapi/Cases/FindByCaseProperties" in output
    assert '"CaseTypePrefixes": [\n' in output
    assert "ows_EksterntSagsID" in output
    assert "POST /sager/_goapi/Cases/\n" in output
    assert output.count("POST /sager/_goapi/Documents/AddToDocumentLibrary") == 4
    assert output.count("GET /sager/_goapi/Documents/RelationTypes") == 1
    assert "POST /sager/_goapi/Documents/RelateDocuments" in output
    assert "POST /sager/_goapi/Documents/MarkMultipleAsCaseRecord/ByDocumentId" in output
    assert "POST /sager/_goapi/Documents/FinalizeMultiple/ByDocumentId" in output
    assert '"ShouldCloseOpenTasks": false' in output
    assert "POST /sager/_goapi/Cases/CloseCase" in output
    # the metadata row, with the configured case-type fields and the KLE lookup value
    assert "ows_CaseCategory=" in output and "12;#00.01.00 Kommunens styrelse" in output
    # file contents as size and checksum beside the file name, never the bytes
    assert '"FileName": "01-hearing.pdf"' in output
    assert '"bytes": "<' in output and "bytes, sha256 " in output
    assert "Budget 2027" not in output
    # no secret: neither the password nor an authorization header
    assert "hemmeligt" not in output
    assert "Basic " not in output and "NTLM " not in output
    assert "4 document(s) would be filed" in output


def test_a_sbsys_dry_run_prints_every_request_and_sends_none(concluded_hearing, sbsys):
    output = dry_run(concluded_hearing)

    assert sbsys.requests == []
    assert sbsys.cases == {}
    assert_nothing_recorded()
    assert "POST /auth/realms/sbsip/protocol/openid-connect/token" in output
    assert '"client_secret": "[redacted]"' in output
    assert "Authorization: [redacted]" in output
    assert "POST /sbsip/api/v12/bruger/search" in output
    assert "POST /sbsip/api/v12/sag/template" in output
    assert '"SkabelonId": 12' in output and '"SagsBehandlerID": 1' in output
    assert output.count("POST /sbsip/api/v12/dokument/journaliser") == 4
    assert output.count("Content-Type: multipart/form-data") == 4
    assert '"SagID": 1' in output and '"DokumentNavn": "01-hearing.pdf"' in output
    assert "part file: 01-hearing.pdf (application/pdf) <" in output
    assert output.count("GET /sbsip/api/v12/delforloeb/sag/1") == 1
    assert output.count('"DokumentRegistreringId"') == 4
    assert "GET /sbsip/api/v12/sag/sagStatusList" in output
    assert "PUT /sbsip/api/v12/sag/00000000-0000-0000-0000-000000000000/status" in output
    assert '"SagsStatusID": 9' in output
    assert "Budget 2027" not in output
    assert "hemmeligt" not in output
    assert "Bearer" not in output


@pytest.mark.parametrize("backend", ["getorganized", "sbsys"])
def test_a_dry_run_prints_no_personal_data(backend, hearing_for, cast, request, settings):
    """The respondent's name, organisation and on-behalf-of, and the owner, stay out of the
    log, while what identifies the documents (reference, file name) is shown."""
    from .test_vendor_adapters import closed_with_a_response

    server = request.getfixturevalue(backend)
    settings.AGORA_GETORGANIZED_OWNER_VALUES = {"owner@example.dk": "27;#Olga Owner"}
    hearing, response = closed_with_a_response(hearing_for, cast)
    output = dry_run(hearing)

    assert server.requests == []
    assert response.reference in output
    assert f"10-response-{response.reference}.pdf" in output
    assert "[personal data]" in output
    for personal in ("team1", "Lokal-MED", "Olga Owner", "owner@example.dk", "Nej tak"):
        assert personal not in output, personal


def test_a_filesystem_dry_run_prints_what_it_would_write_and_writes_nothing(
    concluded_hearing, esdh_dir
):
    output = dry_run(concluded_hearing)

    assert not esdh_dir.exists() or not any(esdh_dir.iterdir())
    assert_nothing_recorded()
    case_folder = esdh_dir / f"agora-hearing-{concluded_hearing.pk}"
    assert f"would create folder {case_folder}" in output
    assert f"would write {case_folder / '01-hearing.pdf'} <" in output
    assert f"would write {case_folder / '99-conclusion.pdf'} <" in output
    assert "would mark the case closed" in output


def test_an_open_hearing_is_dry_run_without_force(hearing_for, getorganized):
    hearing = hearing_for(opens_in=timedelta(days=-1), closes_in=timedelta(days=5))
    output = dry_run(hearing)
    assert "(open)" in output
    assert output.count("AddToDocumentLibrary") == 1  # the hearing text only
    assert getorganized.requests == []
    assert_nothing_recorded()


def test_a_dry_run_after_an_export_shows_only_what_is_new(concluded_hearing, getorganized):
    export_hearing(concluded_hearing)
    sent = len(getorganized.requests)
    records = list(FiledDocument.objects.values_list("pk", "remote_id", "finalized_at"))
    export = HearingExport.objects.values().get()

    output = dry_run(concluded_hearing)

    assert len(getorganized.requests) == sent
    assert list(FiledDocument.objects.values_list("pk", "remote_id", "finalized_at")) == records
    assert HearingExport.objects.values().get() == export
    assert "AddToDocumentLibrary" not in output
    assert output.count("already filed, skipped") == 4
    assert "0 document(s) would be filed" in output


def test_the_recording_session_never_prints_a_secret():
    from hearings.esdh.dryrun import RecordingSession

    lines = []
    session = RecordingSession(lambda *args: {"ok": True}, lines.append, binary_fields={"Fil"})
    session.auth = ("agora", "hemmeligt-1")
    answer = session.request(
        "POST",
        "https://agora:hemmeligt-2@esdh.example.dk/api/x?access_token=hemmeligt-3&page=2",
        headers={"Authorization": "Bearer hemmeligt-4", "X-Api-Key": "hemmeligt-5"},
        json={"Password": "hemmeligt-6", "Navn": "Høring", "Fil": "aGVqIHZlcmRlbg=="},
    )
    output = "\n".join(lines)
    assert "hemmeligt" not in output
    assert "host: https://esdh.example.dk" in output
    assert "?access_token=[redacted]&page=2" in output
    assert '"Navn": "Høring"' in output
    assert '"Fil": "<10 bytes, sha256 ' in output
    assert answer.json() == {"ok": True}
    assert session.sent == [("POST", session.sent[0][1])]


def test_a_getorganized_dry_run_shows_a_large_file_going_in_chunks(
    concluded_hearing, getorganized, settings
):
    settings.AGORA_GETORGANIZED_CHUNK_THRESHOLD = 5  # "Budget 2027" is 11 bytes
    settings.AGORA_GETORGANIZED_CHUNK_SIZE = 4
    output = dry_run(concluded_hearing)

    assert getorganized.requests == []
    assert "GET /sager/_goapi/Cases/Metadata/GEN-DRY-RUN/False" in output
    assert "/_api/contextinfo" in output
    assert "startUpload(uploadId=guid'" in output and "finishUpload(" in output
    assert "body: <4 bytes, sha256 " in output and "body: <3 bytes, sha256 " in output
    assert "POST /sager/_goapi/Documents/Metadata" in output
    assert "AddToDocumentLibrary" not in output
    assert "Budget 2027" not in output
    assert "4 document(s) would be filed" in output
