"""The default adapter: an archive folder per case, readable without any ESDH system.

Under ``AGORA_ESDH_DIR`` (default ``var/esdh/``) each case is a folder holding the
documents and ``manifest.json``, which lists every document with its SHA-256, its
metadata and its parent. Files and the manifest are written to a temporary name and
renamed, so a crash never leaves a half-written file in the archive.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename
from .dryrun import FilesystemDryRun

MANIFEST = "manifest.json"


def write_atomically(path, data):
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class FilesystemAdapter(ESDHAdapter):
    name = "filesystem"

    def __init__(self, root=None, config=None):
        self.root = Path(root or (config or {}).get("dir") or settings.AGORA_ESDH_DIR)

    def folder(self, case_id):
        folder = (self.root / clean_filename(case_id)).resolve()
        if self.root.resolve() not in folder.parents:
            raise ESDHError(f"Invalid case id: {case_id!r}")
        return folder

    def read_manifest(self, case_id):
        path = self.folder(case_id) / MANIFEST
        if not path.exists():
            raise ESDHError(f"No case {case_id!r} under {self.root}")
        # The manifest this adapter wrote last, unless the file changed since (#16: read
        # and parsed again for each of 2,000 documents, it made an export quadratic).
        last = getattr(self, "_last", None)
        if last and last[0] == (path, path.stat().st_mtime_ns):
            return last[1]
        return json.loads(path.read_text(encoding="utf-8"))

    def write_manifest(self, case_id, manifest, pretty=True):
        """Write the manifest; ``pretty=False`` (while documents are added, one write
        each) skips the indentation, which only Python's slow JSON encoder does; the
        case's last write (finalising, closing) is indented for people to read."""
        if pretty:
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
        else:
            data = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
        path = self.folder(case_id) / MANIFEST
        self._last = None
        write_atomically(path, data.encode("utf-8"))
        self._last = ((path, path.stat().st_mtime_ns), manifest)

    def ensure_case(self, case: CaseInfo) -> str:
        case_id = clean_filename(case.case_number or case.reference)
        folder = self.folder(case_id)
        if not (folder / MANIFEST).exists():
            folder.mkdir(parents=True, exist_ok=True)
            self.write_manifest(
                case_id,
                {
                    "case": {
                        "id": case_id,
                        "reference": case.reference,
                        "case_number": case.case_number,
                        "title": case.title,
                        "kle_number": case.kle_number,
                        "department": case.department,
                        "owner": case.owner,
                        "created_at": timezone.now().isoformat(),
                        "closed_at": None,
                    },
                    "documents": [],
                },
            )
        return case_id

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        manifest = self.read_manifest(case_id)
        if manifest["case"]["closed_at"]:
            raise ESDHError(f"Case {case_id} is closed")
        filename = clean_filename(document.filename)
        existing = next((d for d in manifest["documents"] if d["id"] == filename), None)
        if existing and existing["finalized"]:
            raise ESDHError(f"{filename} is finalized in case {case_id} and cannot be replaced")
        write_atomically(self.folder(case_id) / filename, document.content)
        entry = {
            "id": filename,
            "file": filename,
            "title": document.title,
            "source": document.source_key,
            "mime_type": document.mime_type,
            "size": len(document.content),
            "sha256": document.sha256,
            "parent": parent_id,
            "metadata": document.metadata,
            "filed_at": timezone.now().isoformat(),
            "finalized": False,
        }
        manifest["documents"] = [d for d in manifest["documents"] if d["id"] != filename]
        manifest["documents"].append(entry)
        self.write_manifest(case_id, manifest, pretty=False)
        return filename

    def find_document(self, case_id, document):
        try:
            manifest = self.read_manifest(case_id)
        except ESDHError:
            return None
        checksum = document.metadata.get("source_checksum")
        for entry in manifest["documents"]:
            if (
                entry["source"] == document.source_key
                and entry["metadata"].get("source_checksum") == checksum
            ):
                return entry["id"]
        return None

    def finalize(self, case_id, document_ids):
        manifest = self.read_manifest(case_id)
        for entry in manifest["documents"]:
            if entry["id"] in document_ids:
                entry["finalized"] = True
        self.write_manifest(case_id, manifest)

    def close_case(self, case_id):
        manifest = self.read_manifest(case_id)
        if not manifest["case"]["closed_at"]:
            manifest["case"]["closed_at"] = timezone.now().isoformat()
            self.write_manifest(case_id, manifest)

    def dry_run(self, write):
        return FilesystemDryRun(self, write)
