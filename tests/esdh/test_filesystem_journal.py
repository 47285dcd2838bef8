"""The filesystem adapter records each document with one line appended to the case's
journal (#16: rewriting the whole manifest per document made 2,000 documents
quadratic); finalising writes the whole manifest and drops the journal; a line cut
short by a crash spoils only itself."""

import json

from hearings.esdh.base import CaseInfo, Document
from hearings.esdh.filesystem import JOURNAL, MANIFEST, FilesystemAdapter


def document(number):
    return Document(
        source_key=f"response-{number}",
        title=f"Høringssvar {number}",
        filename=f"10-response-{number}.pdf",
        content=b"%PDF-1.7 " + str(number).encode(),
        mime_type="application/pdf",
        metadata={"source_checksum": f"c{number}"},
    )


def open_case(root):
    adapter = FilesystemAdapter(root=root)
    case_id = adapter.ensure_case(CaseInfo(reference="agora-hearing-1", title="Høring"))
    return adapter, case_id, adapter.folder(case_id)


def on_disk(folder):
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def test_documents_go_to_the_journal_and_finalising_folds_them_into_the_manifest(tmp_path):
    adapter, case_id, folder = open_case(tmp_path)
    ids = [adapter.add_document(case_id, document(n)) for n in range(1, 4)]

    assert on_disk(folder)["documents"] == []  # the manifest is not rewritten per document
    lines = (folder / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if line.strip()]) == 3
    # Whoever reads the folder mid-export (a new adapter, a resumed run) sees all three.
    fresh = FilesystemAdapter(root=tmp_path)
    assert [d["id"] for d in fresh.read_manifest(case_id)["documents"]] == ids
    assert fresh.find_document(case_id, document(2)) == "10-response-2.pdf"

    adapter.finalize(case_id, ids)
    assert not (folder / JOURNAL).exists()
    written = on_disk(folder)["documents"]
    assert [d["id"] for d in written] == ids and all(d["finalized"] for d in written)


def test_a_line_cut_short_by_a_crash_spoils_only_itself(tmp_path):
    adapter, case_id, folder = open_case(tmp_path)
    adapter.add_document(case_id, document(1))
    with open(folder / JOURNAL, "ab") as journal:  # the crash: half a line, no newline
        journal.write(b'\n{"id": "10-response-2.pdf", "fi')

    resumed = FilesystemAdapter(root=tmp_path)
    assert [d["id"] for d in resumed.read_manifest(case_id)["documents"]] == ["10-response-1.pdf"]
    assert resumed.find_document(case_id, document(2)) is None  # so it is filed again
    resumed.add_document(case_id, document(2))
    resumed.add_document(case_id, document(3))
    again = FilesystemAdapter(root=tmp_path).read_manifest(case_id)
    assert [d["id"] for d in again["documents"]] == [
        "10-response-1.pdf",
        "10-response-2.pdf",
        "10-response-3.pdf",
    ]


def test_a_document_filed_again_replaces_its_entry(tmp_path):
    adapter, case_id, folder = open_case(tmp_path)
    adapter.add_document(case_id, document(1))
    adapter.add_document(case_id, document(2))
    changed = document(1)
    changed.content = b"%PDF-1.7 changed"
    adapter.add_document(case_id, changed)
    entries = FilesystemAdapter(root=tmp_path).read_manifest(case_id)["documents"]
    assert [d["id"] for d in entries] == ["10-response-1.pdf", "10-response-2.pdf"]
    assert entries[0]["size"] == len(b"%PDF-1.7 changed")
    adapter.close_case(case_id)
    assert on_disk(folder)["case"]["closed_at"] and not (folder / JOURNAL).exists()
