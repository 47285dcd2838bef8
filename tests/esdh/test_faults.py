"""Faults during export: interruptions, network errors, a changed source."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from hearings import jobs
from hearings.esdh import ESDHUnavailable
from hearings.esdh.filesystem import FilesystemAdapter
from hearings.exports.service import export_hearing, request_export
from hearings.models import FiledDocument, HearingExport
from tests.jobs.fixtures import case_folders, read_manifest

pytestmark = pytest.mark.django_db


class CountingAdapter(FilesystemAdapter):
    """The filesystem adapter, counting what it files; it can be made to fail."""

    def __init__(self, fail_after=None, fail_after_filing=None):
        super().__init__()
        self.filed = []
        self.fail_after = fail_after
        self.fail_after_filing = fail_after_filing

    def add_document(self, case_id, document, parent_id=None):
        if self.fail_after is not None and len(self.filed) >= self.fail_after:
            raise ESDHUnavailable("connection reset by peer")
        remote_id = super().add_document(case_id, document, parent_id)
        self.filed.append(document.filename)
        if self.fail_after_filing is not None and len(self.filed) > self.fail_after_filing:
            raise ESDHUnavailable("timed out waiting for the answer")
        return remote_id


def test_an_export_interrupted_after_two_documents_resumes_at_the_third(
    concluded_hearing, esdh_dir
):
    first = CountingAdapter(fail_after=2)
    result = export_hearing(concluded_hearing, adapter=first)
    assert result.status == "pending" and "connection reset" in result.error
    assert len(first.filed) == 2
    export = HearingExport.objects.get(hearing=concluded_hearing)
    assert export.attempts == 1 and export.next_attempt_at > timezone.now()

    # The minute job picks it up once the backoff has passed, with the configured adapter.
    assert jobs.run_due_exports(timezone.now()) == []
    [line] = jobs.run_due_exports(timezone.now() + timedelta(minutes=5))
    assert "done" in line and "2 filed, 2 already filed" in line, line
    export.refresh_from_db()
    assert export.status == "done" and export.case_closed_at

    [folder] = case_folders(esdh_dir)
    manifest = read_manifest(folder)
    files = [d["file"] for d in manifest["documents"]]
    assert len(files) == 4 and len(set(files)) == 4
    assert files[:2] == first.filed
    assert FiledDocument.objects.filter(hearing=concluded_hearing).count() == 4
    assert manifest["case"]["closed_at"]


def test_a_resumed_export_files_only_the_missing_documents(concluded_hearing):
    first = CountingAdapter(fail_after=1)
    export_hearing(concluded_hearing, adapter=first)
    second = CountingAdapter()
    result = export_hearing(concluded_hearing, adapter=second)
    assert result.status == "done"
    assert len(first.filed) == 1 and len(second.filed) == 3
    assert set(first.filed).isdisjoint(second.filed)
    third = CountingAdapter()
    assert export_hearing(concluded_hearing, adapter=third).skipped == 4
    assert third.filed == []


def test_a_document_filed_just_before_a_crash_is_not_filed_again(concluded_hearing):
    # The adapter files the second document, then the answer is lost.
    first = CountingAdapter(fail_after_filing=1)
    export_hearing(concluded_hearing, adapter=first)
    assert len(first.filed) == 2
    pending = FiledDocument.objects.get(hearing=concluded_hearing, remote_id="")
    assert pending.filename == first.filed[1]

    second = CountingAdapter()
    assert export_hearing(concluded_hearing, adapter=second).status == "done"
    assert first.filed[1] not in second.filed  # found in the case, not filed twice
    assert len(second.filed) == 2
    assert not FiledDocument.objects.filter(remote_id="").exists()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_network_errors_are_retried_then_marked_failed_and_people_told(
    concluded_hearing, cast, settings
):
    settings.AGORA_ESDH_BACKEND = "getorganized"
    settings.AGORA_GETORGANIZED_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens
    settings.AGORA_ESDH_TIMEOUT = 2
    settings.AGORA_ESDH_MAX_ATTEMPTS = 3
    request_export(concluded_hearing)

    now = timezone.now()
    for attempt in range(1, 4):
        jobs.run_due_jobs(now=now)
        export = HearingExport.objects.get(hearing=concluded_hearing)
        assert export.attempts == attempt
        assert "ConnectionError" in export.last_error
        now += timedelta(hours=1)
    assert export.status == "failed"
    failure_mails = [m for m in mail.outbox if "ESDH" in m.subject]
    assert sorted(m.to[0] for m in failure_mails) == ["owner@example.dk", "root@example.dk"]

    jobs.run_due_jobs(now=now + timedelta(days=1))
    export.refresh_from_db()
    assert export.attempts == 3  # failed for good: no more automatic attempts
    assert len([m for m in mail.outbox if "ESDH" in m.subject]) == 2


def test_a_passing_outage_is_ridden_out(concluded_hearing, getorganized):
    getorganized.fail_next = 2  # two 503s, then the system is back
    request_export(concluded_hearing)
    now = timezone.now()
    jobs.run_due_jobs(now=now)
    assert HearingExport.objects.get(hearing=concluded_hearing).status == "pending"
    jobs.run_due_jobs(now=now + timedelta(hours=1))
    jobs.run_due_jobs(now=now + timedelta(hours=2))
    export = HearingExport.objects.get(hearing=concluded_hearing)
    assert export.status == "done", export.last_error
    assert len(getorganized.documents) == 4


def test_a_changed_source_is_filed_again_in_its_final_form(hearing_for, esdh_dir):
    hearing = hearing_for(opens_in=timedelta(days=-5), closes_in=timedelta(hours=-1))
    assert export_hearing(hearing).status == "done"
    hearing.summary = "Et rettet resumé."
    hearing.save_revision().publish()

    result = export_hearing(hearing)
    assert result.filed == ["01-hearing-v2.pdf"]
    [folder] = case_folders(esdh_dir)
    files = [d["file"] for d in read_manifest(folder)["documents"]]
    assert files == ["01-hearing.pdf", "01-hearing-v2.pdf"]
    assert export_hearing(hearing).filed == []
