"""Fixtures and helpers shared by the job and ESDH tests."""

import json
import re
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def esdh_dir(settings, tmp_path):
    settings.AGORA_ESDH_DIR = tmp_path / "esdh"
    settings.AGORA_ESDH_BACKEND = "filesystem"
    return settings.AGORA_ESDH_DIR


@pytest.fixture
def cast(departments, make_user):
    """An owner, an admin, two invited employees (one in a sub-department), one outsider."""
    return {
        "owner": make_user("owner", departments["other"]),
        "admin": make_user("root", is_superuser=True, is_staff=True),
        "center": make_user("center1", departments["center"]),
        "team": make_user("team1", departments["team"]),
        "outsider": make_user("outsider", departments["other"]),
    }


@pytest.fixture
def hearing_for(make_hearing, departments, cast):
    """A hearing for the center (and the team below it), owned by ``cast['owner']``."""

    def make(opens_in=timedelta(days=-1), closes_in=timedelta(days=7), **fields):
        now = timezone.now()
        return make_hearing(
            departments=[departments["center"]],
            opens_at=now + opens_in,
            closes_at=now + closes_in,
            hearing_owner=cast["owner"],
            **fields,
        )

    return make


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
