"""Fixtures for answering hearings through the pages.

The hearing that uses every question type (``open_hearing``, ``consent_text``) is shared
with the API tests: tests/fixtures/responding.py.
"""

import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation


@pytest.fixture
def audience(departments, make_user):
    """An invited employee and one outside the hearing's audience."""
    return {
        "employee": make_user("emma", department=departments["team"], first_name="Emma"),
        "colleague": make_user("jonas", department=departments["team"]),
        "outsider": make_user("sofie", department=departments["other"]),
    }


def valid_post(token, **overrides):
    """A complete, valid answer to ``every_question_form`` as form data."""
    data = {
        "token": str(token),
        "action": "submit",
        "q-behalf": "myself",
        "q-behalf-name": "",
        "q-short": "Pædagog",
        "q-long": "Det er en god idé.",
        "q-single": "two",
        "q-multi": ["pc", "screen"],
        "q-scale": "4",
        "q-yesno": "yes",
        "q-consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.AGORA_PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language), whatever is translated."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the footer's language form
    return client
