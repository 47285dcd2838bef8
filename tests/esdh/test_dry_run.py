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
    assert "POST /_goapi/Cases/FindByCaseProperties" in output
    assert "POST /_goapi/Cases/\n" in output
    assert output.count("POST /_goapi/Documents/AddToDocumentLibrary") == 4
    assert "POST /_goapi/Documents/RelateDocuments" in output
    assert "POST /_goapi/Documents/FinalizeMultiple/ByDocumentId" in output
    assert "POST /_goapi/Cases/CloseCase" in output
    # file contents as size and checksum beside the file name, never the bytes
    assert '"FileName": "01-hearing.pdf"' in output
    assert '"Bytes": "<' in output and "bytes, sha256 " in output
    assert "Budget 2027" not in output
    # no secret: neither the password nor a basic-auth header
    assert "hemmeligt" not in output
    assert "Basic " not in output
    assert "4 document(s) would be filed" in output


def test_a_sbsys_dry_run_prints_every_request_and_sends_none(concluded_hearing, sbsys):
    output = dry_run(concluded_hearing)

    assert sbsys.requests == []
    assert sbsys.cases == {}
    assert_nothing_recorded()
    assert "POST /token" in output
    assert '"client_secret": "[redacted]"' in output
    assert "Authorization: [redacted]" in output
    assert "POST /api/sag/template" in output
    assert output.count("POST /api/dokument/journaliser") == 4
    assert "PUT /api/sag/dry-run-case/status" in output
    assert '"Indhold": "<' in output
    assert "hemmeligt" not in output
    assert "Bearer" not in output


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
