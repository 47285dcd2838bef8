"""Response PDFs rendered in worker processes while the export files the ones before
(#16): real child processes running WeasyPrint, the same case file as without them,
and the export's own process taking over whatever a child cannot do."""

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from hearings.exports import pdf_workers, service
from hearings.exports.pdf_workers import PdfWorkers, WorkerFailed
from tests.esdh.test_case_file import handed_in
from tests.jobs.fixtures import case_folders, pdfa_part, read_manifest

pytestmark = pytest.mark.django_db

RESPONSES = 5


@pytest.fixture
def closed(hearing_for, make_user, departments):
    hearing = hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))
    for number in range(1, RESPONSES + 1):
        employee = make_user(f"employee{number}", departments["team"])
        handed_in(hearing, employee, "submitted", number)
    return hearing


@pytest.fixture
def rendered_by_workers(monkeypatch):
    """The documents the child processes answered, and their processes."""
    seen = {"pdfs": [], "processes": []}
    original_render, original_process = PdfWorkers._render, PdfWorkers._process

    def render(self, html):
        pdf = original_render(self, html)
        seen["pdfs"].append(pdf)
        return pdf

    def process(self):
        child = original_process(self)
        if child not in seen["processes"]:
            seen["processes"].append(child)
        return child

    monkeypatch.setattr(PdfWorkers, "_render", render)
    monkeypatch.setattr(PdfWorkers, "_process", process)
    return seen


def filed(esdh_dir):
    [folder] = case_folders(esdh_dir)
    documents = read_manifest(folder)["documents"]
    return folder, [(d["file"], d["metadata"]["source_checksum"]) for d in documents]


def test_a_large_export_renders_its_response_pdfs_in_worker_processes(
    closed, esdh_dir, settings, rendered_by_workers
):
    settings.AGORA_ESDH_PDF_WORKERS = 2
    settings.AGORA_ESDH_PDF_POOL_AFTER = RESPONSES - 1  # more responses than that: the pool
    result = service.export_hearing(closed)
    assert result.status == "done", result.error

    folder, documents = filed(esdh_dir)
    pdfs = [name for name, __ in documents if name.endswith(".pdf")]
    responses = [name for name in pdfs if name.startswith("10-response-")]
    assert len(responses) == RESPONSES
    # Every PDF (hearing text, register, responses: none needs an image) came from them.
    assert len(rendered_by_workers["pdfs"]) == len(pdfs) == RESPONSES + 2
    assert all(pdfa_part(pdf) == "3" for pdf in rendered_by_workers["pdfs"])
    for name in responses:
        content = (Path(folder) / name).read_bytes()
        assert content.startswith(b"%PDF-") and pdfa_part(content) == "3"
    # The children were asked to stop when the export finished, and did.
    assert 1 <= len(rendered_by_workers["processes"]) <= 2
    assert all(child.returncode == 0 for child in rendered_by_workers["processes"])


def test_the_case_file_is_the_same_with_and_without_workers(
    closed, esdh_dir, settings, tmp_path, rendered_by_workers
):
    settings.AGORA_ESDH_PDF_WORKERS = 0
    assert service.export_hearing(closed).status == "done"
    __, inline = filed(esdh_dir)
    assert rendered_by_workers["pdfs"] == []

    service.HearingExport.objects.all().delete()
    service.FiledDocument.objects.all().delete()
    settings.AGORA_ESDH_DIR = tmp_path / "pooled"
    settings.AGORA_ESDH_PDF_WORKERS = 2
    settings.AGORA_ESDH_PDF_POOL_AFTER = 0
    assert service.export_hearing(closed).status == "done"
    __, pooled = filed(settings.AGORA_ESDH_DIR)
    assert len(rendered_by_workers["pdfs"]) == RESPONSES + 2
    assert pooled == inline  # same files, same order, same sources


def test_a_small_export_starts_no_process(closed, esdh_dir, settings, rendered_by_workers):
    settings.AGORA_ESDH_PDF_WORKERS = 2
    settings.AGORA_ESDH_PDF_POOL_AFTER = RESPONSES  # not more responses than that: all here
    assert service.export_hearing(closed).status == "done"
    assert rendered_by_workers["processes"] == []


def test_a_worker_that_cannot_start_leaves_the_pdfs_to_the_export(
    closed, esdh_dir, settings, monkeypatch, caplog
):
    settings.AGORA_ESDH_PDF_WORKERS = 2
    settings.AGORA_ESDH_PDF_POOL_AFTER = 0
    # A child that exits at once, before answering anything.
    monkeypatch.setattr(pdf_workers, "WORKER_COMMAND", [sys.executable, "-c", "pass"])
    result = service.export_hearing(closed)
    assert result.status == "done", result.error
    folder, documents = filed(esdh_dir)
    assert len([name for name, __ in documents if name.startswith("10-response-")]) == RESPONSES
    assert "rendering it here" in caplog.text


def test_a_document_that_fails_in_a_worker_is_reported_and_the_worker_goes_on():
    with PdfWorkers(1) as workers:
        broken = workers.submit("<p>" + "\udcff" * 3)  # not encodable: fails in the parent
        with pytest.raises(UnicodeEncodeError):
            broken.result(timeout=60)
        failing = workers.submit('<p style="font-size: calc(">x</p><img src="http://x/">')
        good = workers.submit("<h1>Høringssvar</h1>")
        try:
            failing.result(timeout=60)
        except WorkerFailed:
            pass  # WeasyPrint may refuse it; what matters is the next one
        assert pdfa_part(good.result(timeout=60)) == "3"


def test_only_self_contained_response_pdfs_go_to_the_workers():
    assert pdf_workers.poolable("<h1>Svar</h1><p>Tekst</p>")
    assert not pdf_workers.poolable('<img src="/media/logo.png">')
    assert not pdf_workers.poolable('<div style="background: url(/x.png)"></div>')
    assert not pdf_workers.poolable('<link rel="stylesheet" href="/s.css">')
