"""The findings of the hostile-input review (issue 12, items 3, 4 and 7), each reproduced."""

import io
import json
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from hearings import moderation, responding
from hearings.exports.tabular import neutralise
from hearings.forms import ResponseForm
from hearings.models import HearingResponse, ResponseAttachment, ResponseStatus
from tests.fixtures.responding import every_question_form
from tests.responding.conftest import pdf_bytes, valid_post

from .conftest import answers, signed_in, submit_as

pytestmark = pytest.mark.django_db

SQLITE_ONLY = pytest.mark.skipif(
    "connection.vendor != 'sqlite'",
    reason="only SQLite stores a lone surrogate; PostgreSQL refuses it (tested at the boundary)",
)


def api(client, method, path, body, **headers):
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", **headers
    )


# 3. Drafts belong to their writer ------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "moderator", "superuser", "colleague"])
def test_nobody_but_the_writer_reads_a_draft(hearing, people, draft, who):
    client = signed_in(people[who])
    assert client.get(f"/api/v1/responses/{draft.pk}").status_code == 404
    receipt = hearing.url + f"response/{draft.pk}/receipt/"
    assert client.get(receipt).status_code == 404
    writer = signed_in(people["employee"])
    assert writer.get(f"/api/v1/responses/{draft.pk}").json()["status"] == "draft"
    assert writer.get(receipt).status_code == 200


def test_a_drafts_attachment_is_served_only_to_its_writer(hearing, people):
    writer = signed_in(people["employee"])
    data = valid_post(uuid.uuid4(), action="draft")
    data["q-files"] = SimpleUploadedFile("udkast.pdf", pdf_bytes())
    assert writer.post(hearing.url, data).status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.response.status == ResponseStatus.DRAFT
    url = reverse("hearings:attachment", args=[attachment.pk])
    for who in ("owner", "moderator", "superuser"):
        assert signed_in(people[who]).get(url).status_code == 404
    assert writer.get(url).status_code == 200


def test_staff_still_read_handed_in_answers(hearing, people):
    response = submit_as(people["employee"], hearing)
    for who in ("owner", "moderator"):
        assert signed_in(people[who]).get(f"/api/v1/responses/{response.pk}").status_code == 200


# 4. Invalid Unicode refused at every boundary ------------------------------------------

BAD_TEXT = [
    "bad\ud800text",
    "nul\x00byte",
    "bell\x07",
    "escape\x1b[31m",
    "c1\x85",
    "del\x7f",
    "nonchar\uffff",
]


@pytest.mark.parametrize("text", BAD_TEXT)
def test_the_api_refuses_bad_text_in_submit_draft_and_amend(hearing, people, text):
    client = signed_in(people["employee"])
    base = f"/api/v1/hearings/{hearing.pk}"
    for method, path in (("post", f"{base}/responses"), ("put", f"{base}/draft")):
        reply = api(client, method, path, {"answers": answers(long=text)})
        assert reply.status_code == 400, reply.content
        assert reply.json()["errors"]["long"]
    assert not HearingResponse.objects.exists()
    stored = submit_as(people["employee"], hearing)
    reply = api(client, "put", f"/api/v1/responses/{stored.pk}", {"answers": answers(short=text)})
    assert reply.status_code == 400 and "short" in reply.json()["errors"]
    stored.refresh_from_db()
    assert stored.answers["short"]["value"] == "Pædagog"


def test_the_api_refuses_bad_text_in_nested_values_and_keys(hearing, people):
    client = signed_in(people["employee"])
    path = f"/api/v1/hearings/{hearing.pk}/responses"
    nested = answers(behalf={"kind": "organisation", "name": "Org\x00"})
    assert api(client, "post", path, {"answers": nested}).status_code == 400
    bad_key = {**answers(), "x\ud800": "y"}
    assert api(client, "post", path, {"answers": bad_key}).status_code == 400
    assert api(client, "post", path, {"answers": answers()}, HTTP_IDEMPOTENCY_KEY="k\ud800")
    assert not HearingResponse.objects.exists()


def test_tab_newline_and_carriage_return_are_ordinary_text(hearing, people):
    response = submit_as(people["employee"], hearing, answers(long="Linje 1\r\nLinje\t2"))
    assert response.answers["long"]["value"] == "Linje 1\r\nLinje\t2"


@pytest.mark.parametrize("text", ["nul\x00byte", "bell\x07", "vt\x0b"])
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_the_form_refuses_control_characters_with_400_and_a_field_message(
    hearing, people, text, action
):
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4(), action=action, **{"q-long": text})
    data["q-files"] = SimpleUploadedFile("bilag.pdf", pdf_bytes())
    page = client.post(hearing.url, data)
    assert page.status_code == 400
    assert "not allowed" in page.content.decode()  # Django's own message for NUL
    assert not HearingResponse.objects.exists()
    assert not ResponseAttachment.objects.exists()  # nothing stored, not even the upload


def test_a_file_name_with_control_characters_is_stored_clean(hearing, people):
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4())
    data["q-files"] = SimpleUploadedFile("bi\x01lag.pdf", pdf_bytes())
    assert client.post(hearing.url, data).status_code == 302
    assert ResponseAttachment.objects.get().original_name == "bilag.pdf"


def store_bad_answer(response, text):
    """What an older version let through: bad text stored in an answer."""
    stored = dict(response.answers)
    stored["long"] = {**stored["long"], "value": text, "display": text}
    with connection.cursor() as cursor:  # escaped JSON, as an older encoder wrote it
        cursor.execute(
            "UPDATE hearings_hearingresponse SET answers = %s WHERE id = %s",
            [json.dumps(stored), response.pk],
        )


def renders_everywhere(hearing, people, response):
    """Every page, export and mail that shows the answer still works."""
    staff = signed_in(people["moderator"])
    assert staff.get(reverse("hearing_responses:inspect", args=[response.pk])).status_code == 200
    for kind in ("xlsx", "csv", "pdf"):
        export = staff.get(reverse("hearing_responses:export", args=[hearing.pk, kind]))
        assert export.status_code == 200, kind
        body = b"".join(export.streaming_content) if export.streaming else export.content
        if kind == "csv":
            assert response.reference in body.decode("utf-8-sig")  # the row is not dropped
        if kind == "xlsx":
            sheet = load_workbook(io.BytesIO(body)).active
            assert response.reference in [row[0] for row in sheet.iter_rows(values_only=True)]
    writer = signed_in(people["employee"])
    assert writer.get(hearing.url + f"response/{response.pk}/receipt/").status_code == 200
    response.refresh_from_db()
    moderation.approve(people["moderator"], response)
    assert signed_in(people["colleague"]).get(hearing.url).status_code == 200
    assert signed_in(None).get("/api/v2/hearings/").status_code in (200, 404)
    mail.outbox.clear()
    responding.send_receipt_mail(HearingResponse.objects.get(pk=response.pk), amended=True)


@SQLITE_ONLY
def test_a_stored_lone_surrogate_breaks_nothing(
    hearing, people, django_capture_on_commit_callbacks
):
    response = submit_as(people["employee"], hearing)
    store_bad_answer(response, "før\ud800efter")
    with django_capture_on_commit_callbacks(execute=True):
        renders_everywhere(hearing, people, response)
    assert HearingResponse.objects.get(pk=response.pk).answers["long"]["value"] == "før\ufffdefter"


def test_stored_control_characters_break_nothing(
    hearing, people, django_capture_on_commit_callbacks
):
    response = submit_as(people["employee"], hearing)
    store_bad_answer(response, "bell\x07 vt\x0b esc\x1b")
    with django_capture_on_commit_callbacks(execute=True):
        renders_everywhere(hearing, people, response)


def test_a_3_mb_json_body_is_refused_without_a_server_error(hearing, people, settings):
    settings.DEBUG = True  # the development server's debug page was where it broke
    client = signed_in(people["employee"])
    client.raise_request_exception = False
    body = {"answers": answers(long="a" * 3_000_000)}
    reply = api(client, "post", f"/api/v1/hearings/{hearing.pk}/responses", body)
    assert reply.status_code == 413
    assert reply.json()["detail"] == "The request is too large."


@pytest.mark.parametrize("big", [2**63, 2**64, 10**30])
def test_an_id_above_the_database_range_is_not_found(hearing, people, big):
    client = signed_in(people["employee"])
    assert client.get(f"/api/v1/responses/{big}").status_code == 404
    assert api(client, "put", f"/api/v1/responses/{big}", {"answers": {}}).status_code == 404
    assert api(client, "post", f"/api/v1/hearings/{big}/responses", {}).status_code == 404
    assert client.get(f"/attachments/{big}/").status_code == 404
    assert client.get(hearing.url + f"response/{big}/receipt/").status_code == 404


# 7. Smaller findings ---------------------------------------------------------------------


def test_an_idempotency_key_reused_on_another_hearing_answers_that_hearing(
    hearing, people, make_hearing, departments, consent_text
):
    other = make_hearing(title="Anden høring", departments=[departments["center"]])
    other.response_form = every_question_form(consent_text)
    other.save_revision().publish()
    client = signed_in(people["employee"])
    first = api(
        client,
        "post",
        f"/api/v1/hearings/{hearing.pk}/responses",
        {"answers": answers()},
        HTTP_IDEMPOTENCY_KEY="same-key",
    )
    second = api(
        client,
        "post",
        f"/api/v1/hearings/{other.pk}/responses",
        {"answers": answers()},
        HTTP_IDEMPOTENCY_KEY="same-key",
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["hearing"]["id"] == other.pk
    assert HearingResponse.objects.count() == 2


def test_on_behalf_of_a_department_is_only_the_persons_own(hearing, people):
    client = signed_in(people["employee"])  # works in "Team"
    path = f"/api/v1/hearings/{hearing.pk}/responses"
    mayor = answers(behalf={"kind": "department", "name": "Borgmesterens kontor"})
    refused = api(client, "post", path, {"answers": mayor})
    assert refused.status_code == 400
    assert "your own department: Team" in refused.json()["errors"]["behalf"][0]
    above = answers(behalf={"kind": "department", "name": "Kommune"})  # a department above
    assert api(client, "post", path, {"answers": above}).status_code == 400
    own = api(client, "post", path, {"answers": answers(behalf={"kind": "department"})})
    assert own.status_code == 201
    assert own.json()["on_behalf_of"] == {"kind": "department", "name": "Team"}


def test_an_employee_without_a_department_cannot_answer_for_one(hearing, make_user):
    nobody = make_user("uden")
    data = QueryDict(mutable=True)
    data.update({"token": str(uuid.uuid4()), "q-behalf": "department", "q-behalf-name": "X"})
    form = ResponseForm(hearing, user=nobody, data=data, draft=True)
    assert not form.is_valid()
    assert "You are not registered in a department." in form.errors["q-behalf-name"]


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        " =1+1",
        "\u00a0=1+1",
        "\u200b=1+1",
        "\n=1+1",
        "\r\n@SUM(A1)",
        "\t=1",
        '\uff1dHYPERLINK("http://x")',
        "\uff20SUM(A1)",
        "\uff0b1",
        "\uff0d1",
        "\u2212 1",
        " \u200b \u00a0\uff1d1",
        "\ufe661",
    ],
)
def test_the_formula_guard_sees_through_whitespace_and_look_alikes(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Hej", "1+1", "a=b", "email@example.dk", "", "æøå"])
def test_the_formula_guard_leaves_ordinary_text(value):
    assert neutralise(value) == value


def test_every_page_sends_a_permissions_policy(hearing, people):
    for path in ("/", hearing.url, "/api/v1/openapi.json", "/accounts/login/"):
        reply = signed_in(people["employee"]).get(path)
        assert "camera=()" in reply["Permissions-Policy"], path


def test_the_openapi_document_describes_unknown_questions_and_401s(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if path.endswith("/csrf"):
                continue
            assert "401" in codes, (method, path)
            if method in ("post", "put"):
                assert "400" in codes, (method, path)
    error = document["components"]["schemas"]["ErrorOut"]["properties"]["errors"]
    assert "unknown question" in error["description"]


def test_unknown_questions_get_the_documented_400(hearing, people):
    client = signed_in(people["employee"])
    reply = api(
        client,
        "post",
        f"/api/v1/hearings/{hearing.pk}/responses",
        {"answers": {**answers(), "nonexistent": "x"}},
    )
    assert reply.status_code == 400
    assert reply.json()["errors"]["nonexistent"] == ["There is no such question in this hearing."]


def test_anonymous_api_calls_get_the_documented_401(client, hearing):
    assert client.get("/api/v1/responses").status_code == 401
    assert client.get("/api/v1/responses/1").status_code == 401


def test_a_draft_with_a_refused_file_is_saved_and_says_why(hearing, people):
    client = signed_in(people["employee"])
    data = valid_post(uuid.uuid4(), action="draft")
    data["q-files"] = SimpleUploadedFile("svar.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(hearing.url, data)
    assert page.status_code == 200  # not a silent redirect
    text = page.content.decode()
    assert "svar.pdf is not an allowed file type." in text
    assert "a file was refused" in text
    assert HearingResponse.objects.get().is_draft
    assert not ResponseAttachment.objects.exists()
