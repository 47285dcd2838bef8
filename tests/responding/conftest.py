"""Fixtures for answering hearings: a hearing that uses every question type."""

import io
import zipfile

import pytest
from django.test import Client
from django.utils import translation

from hearings.models import ConsentText, HearingPage


def options(*pairs):
    return [{"type": "item", "value": label, "id": option_id} for option_id, label in pairs]


def question(kind, block_id, label, required=True, **extra):
    value = {"label": label, "help_text": f"Hjælp til {label}", "required": required, **extra}
    return {"type": kind, "id": block_id, "value": value}


def every_question_form(consent_text):
    return [
        {
            "type": "information",
            "id": "intro",
            "value": {"heading": "Om dig", "text": "<p>Svar ærligt.</p>"},
        },
        question(
            "on_behalf_of",
            "behalf",
            "Hvem svarer du for?",
            allowed=["myself", "department", "organisation"],
        ),
        question("short_text", "short", "Din titel", max_length=50),
        question("long_text", "long", "Dine bemærkninger", max_length=200),
        question(
            "single_choice",
            "single",
            "Hvor mange dage hjemme?",
            options=options(("one", "Én dag"), ("two", "To dage"), ("none", "Ingen")),
        ),
        question(
            "multiple_choice",
            "multi",
            "Hvilke redskaber bruger du?",
            options=options(("pc", "Bærbar"), ("phone", "Telefon"), ("screen", "Skærm")),
            min_choices=1,
            max_choices=2,
        ),
        question(
            "scale",
            "scale",
            "Hvor enig er du?",
            min_value=1,
            max_value=5,
            min_label="Helt uenig",
            max_label="Helt enig",
        ),
        question("yes_no", "yesno", "Har du arbejdet hjemme før?"),
        question(
            "file_upload",
            "files",
            "Bilag",
            required=False,
            max_files=2,
            max_size_mb=20,
            allowed_types=["pdf", "docx", "xlsx", "odt", "png", "jpeg", "txt"],
        ),
        question("consent", "consent", "Jeg accepterer vilkårene", consent_text=consent_text.pk),
    ]


@pytest.fixture
def consent_text(db):
    return ConsentText.objects.create(
        title="Offentliggørelse", text="<p>Dit svar kan blive offentliggjort.</p>"
    )


@pytest.fixture
def audience(departments, make_user):
    """An invited employee and one outside the hearing's audience."""
    return {
        "employee": make_user("emma", department=departments["team"], first_name="Emma"),
        "colleague": make_user("jonas", department=departments["team"]),
        "outsider": make_user("sofie", department=departments["other"]),
    }


@pytest.fixture
def open_hearing(make_hearing, departments, consent_text):
    hearing = make_hearing(title="Hjemmearbejde", departments=[departments["center"]])
    hearing.response_form = every_question_form(consent_text)
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


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
    return Client(HTTP_ACCEPT_LANGUAGE="en")
