"""Helpers shared by the job and ESDH tests: reading what was filed.

Their fixtures (``esdh_dir``, ``cast``, ``hearing_for``) live in tests/fixtures/jobs.py.
"""

import json
import re
import zlib
from pathlib import Path


def read_manifest(folder):
    return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))


def case_folders(root):
    root = Path(root)
    return [p for p in root.iterdir() if p.is_dir()] if root.exists() else []


def pdfa_part(content):
    """The PDF/A part declared in a PDF's XMP metadata (e.g. "3"), or None."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    for stream in streams:
        for data in (stream, _inflate(stream)):
            match = re.search(rb"pdfaid:part[^0-9]{1,3}(\d)", data or b"")
            if match:
                return match.group(1).decode()
    return None


def _inflate(data):
    try:
        return zlib.decompress(data)
    except zlib.error:
        return None
