"""/api/v1/: answering a hearing from another front end, by the same rules as the page."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from hearings import responding
from hearings.models import HearingPage, HearingResponse, ResponseStatus
from tests.fixtures.responding import every_question_form

from .conftest import valid_answers

pytestmark = pytest.mark.django_db


def post(client, path, body=None, **headers):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def put(client, path, body=None, **headers):
    return client.put(path, json.dumps(body or {}), content_type="application/json", **headers)


def submit(client, hearing, answers=None, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return post(
        client,
        f"/api/v1/hearings/{hearing.pk}/responses",
        {"answers": answers or valid_answers()},
        **headers,
    )


def test_an_invited_employee_submits_and_gets_a_receipt_reference(
    api_client, open_hearing, audience, django_capture_on_commit_callbacks
):
    client = api_client(audience["employee"])
    with django_capture_on_commit_callbacks(execute=True):  # the receipt leaves on commit
        response = submit(client, open_hearing, key="first-try")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["reference"].startswith("H-")
    assert body["hearing"] == {
        "id": open_hearing.pk,
        "title": "Hjemmearbejde",
        "phase": "open",
        "closes_at": body["hearing"]["closes_at"],
    }
    stored = HearingResponse.objects.get()
    assert stored.reference == body["reference"]
    assert stored.answers["single"]["display"] == "To dage"
    assert stored.answers["multi"]["value"] == ["pc", "screen"]
    assert stored.answers["scale"]["value"] == 4
    assert stored.answers["consent"]["value"] is True
    assert body["reference"] in mail.outbox[0].subject  # the same receipt as the page


def test_the_same_idempotency_key_twice_stores_one_response(
    api_client, open_hearing, audience, django_capture_on_commit_callbacks
):
    client = api_client(audience["employee"])
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client, open_hearing, key="abc-123")
        again = submit(client, open_hearing, key="abc-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert HearingResponse.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_answer_with_another_key_is_a_conflict(api_client, open_hearing, audience):
    client = api_client(audience["employee"])
    submit(client, open_hearing, key="one")
    second = submit(client, open_hearing, key="two")
    assert second.status_code == 409
    assert "already answered" in second.json()["detail"]
    assert HearingResponse.objects.count() == 1


def test_an_answer_after_the_deadline_is_refused_and_nothing_is_stored(
    api_client, open_hearing, audience
):
    HearingPage.objects.filter(pk=open_hearing.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    response = submit(api_client(audience["employee"]), open_hearing)
    assert response.status_code == 409
    assert "deadline has passed" in response.json()["detail"]
    assert not HearingResponse.objects.exists()


def test_an_answer_that_reaches_the_service_after_the_deadline_is_a_conflict(
    api_client, open_hearing, audience, monkeypatch
):
    """The deadline passes between the API's own check and the service's locked save."""
    real_submit = responding.submit

    def late_submit(user, hearing, *args, **kwargs):
        HearingPage.objects.filter(pk=hearing.pk).update(
            closes_at=timezone.now() - timedelta(seconds=1)
        )
        return real_submit(user, hearing, *args, **kwargs)

    monkeypatch.setattr(responding, "submit", late_submit)
    response = submit(api_client(audience["employee"]), open_hearing)
    assert response.status_code == 409
    assert not HearingResponse.objects.exists()


def test_invalid_answers_are_reported_per_question(api_client, open_hearing, audience):
    client = api_client(audience["employee"])
    answers = valid_answers(
        short="x" * 51,
        single="bogus",
        multi=["pc", "phone", "screen"],
        consent=None,
        behalf={"kind": "organisation"},
        nosuch="?",
    )
    response = submit(client, open_hearing, answers)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "at most 50 characters" in errors["short"][0]
    assert "Select a valid choice" in errors["single"][0]
    assert errors["multi"] == ["Choose at most 2 options."]
    assert errors["consent"] == ["This field is required."]
    assert "Write the name" in errors["behalf"][0]
    assert errors["nosuch"] == ["There is no such question in this hearing."]
    assert set(errors) == {"short", "single", "multi", "consent", "behalf", "nosuch"}
    assert not HearingResponse.objects.exists()


def test_an_answer_of_the_wrong_shape_is_a_validation_error(api_client, open_hearing, audience):
    client = api_client(audience["employee"])
    response = submit(client, open_hearing, valid_answers(multi="pc", short={"a": 1}))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"multi", "short"}
    malformed = post(client, f"/api/v1/hearings/{open_hearing.pk}/responses", {"answers": [1]})
    assert malformed.status_code == 400
    assert not HearingResponse.objects.exists()


def test_an_employee_outside_the_audience_gets_404(api_client, open_hearing, audience):
    client = api_client(audience["outsider"])
    assert submit(client, open_hearing).status_code == 404
    answered = responding.submit(
        audience["employee"],
        open_hearing,
        {"short": {"type": "short_text", "label": "Din titel", "value": "x"}},
        token="00000000-0000-0000-0000-000000000001",
        send_receipt=False,
    ).response
    assert client.get(f"/api/v1/responses/{answered.pk}").status_code == 404
    assert put(client, f"/api/v1/responses/{answered.pk}", {"answers": {}}).status_code == 404
    assert post(client, f"/api/v1/responses/{answered.pk}/withdraw").status_code == 404
    assert client.get("/api/v1/responses").json() == []
    assert HearingResponse.objects.get().status == ResponseStatus.SUBMITTED


def test_anonymous_requests_are_unauthorized(client, open_hearing):
    assert client.get("/api/v1/responses").status_code == 401
    assert submit(client, open_hearing).status_code == 401
    assert not HearingResponse.objects.exists()


def test_session_authentication_requires_the_csrf_token(open_hearing, audience):
    client = Client(enforce_csrf_checks=True)
    client.force_login(audience["employee"])
    refused = submit(client, open_hearing)
    assert refused.status_code == 403
    assert not HearingResponse.objects.exists()

    token = client.get("/api/v1/csrf").json()["csrf_token"]
    accepted = post(
        client,
        f"/api/v1/hearings/{open_hearing.pk}/responses",
        {"answers": valid_answers()},
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201, accepted.content


def test_a_draft_is_saved_incomplete_and_handed_in_later(api_client, open_hearing, audience):
    client = api_client(audience["employee"])
    draft = put(
        client, f"/api/v1/hearings/{open_hearing.pk}/draft", {"answers": {"short": "Halv"}}
    )
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft"
    assert draft.json()["reference"] == ""
    submitted = submit(client, open_hearing)
    assert submitted.status_code == 201
    assert submitted.json()["id"] == draft.json()["id"]
    assert HearingResponse.objects.get().status == ResponseStatus.SUBMITTED


def test_the_respondent_amends_and_withdraws_before_the_deadline(
    api_client, open_hearing, audience
):
    client = api_client(audience["employee"])
    created = submit(client, open_hearing).json()

    amended = put(
        client, f"/api/v1/responses/{created['id']}", {"answers": valid_answers(short="Leder")}
    )
    assert amended.status_code == 200, amended.content
    assert amended.json()["answers"]["short"]["value"] == "Leder"
    assert amended.json()["amended_at"]
    assert amended.json()["reference"] == created["reference"]
    invalid = put(
        client, f"/api/v1/responses/{created['id']}", {"answers": valid_answers(single="x")}
    )
    assert invalid.status_code == 400 and "single" in invalid.json()["errors"]

    withdrawn = post(client, f"/api/v1/responses/{created['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    stored = HearingResponse.objects.get()
    assert stored.status == ResponseStatus.WITHDRAWN
    assert stored.answers["short"]["value"] == "Leder"
    assert [r.kind for r in stored.revisions.order_by("number")] == [
        "submitted",
        "amended",
        "withdrawn",
    ]
    again = put(client, f"/api/v1/responses/{created['id']}", {"answers": valid_answers()})
    assert again.status_code == 409


def test_an_answer_cannot_be_amended_after_the_deadline(api_client, open_hearing, audience):
    client = api_client(audience["employee"])
    created = submit(client, open_hearing).json()
    HearingPage.objects.filter(pk=open_hearing.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    response = put(
        client, f"/api/v1/responses/{created['id']}", {"answers": valid_answers(short="Sen")}
    )
    assert response.status_code == 409
    assert post(client, f"/api/v1/responses/{created['id']}/withdraw").status_code == 409
    assert HearingResponse.objects.get().answers["short"]["value"] == "Pædagog"


def test_my_responses_lists_only_mine_in_a_fixed_number_of_queries(
    api_client, make_hearing, departments, audience, consent_text, django_assert_max_num_queries
):
    user = audience["employee"]
    hearings = []
    for number in range(5):
        hearing = make_hearing(title=f"Høring {number}", departments=[departments["center"]])
        hearing.response_form = every_question_form(consent_text)
        hearing.save_revision().publish()
        hearings.append(HearingPage.objects.get(pk=hearing.pk))
    for hearing in hearings:
        responding.submit(
            user,
            hearing,
            {},
            token=f"00000000-0000-0000-0000-00000000000{hearing.pk % 10}",
            send_receipt=False,
        )
    responding.save_draft(audience["colleague"], hearings[0], {})
    client = api_client(user)
    client.get("/api/v1/responses")  # warm: what a first request reads once
    with django_assert_max_num_queries(4):
        listing = client.get("/api/v1/responses")
    assert listing.status_code == 200
    assert {item["hearing"]["id"] for item in listing.json()} == {h.pk for h in hearings}


def test_the_openapi_document_lists_the_endpoints(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert set(document["paths"]) == {
        "/api/v1/csrf",
        "/api/v1/responses",
        "/api/v1/responses/{response_id}",
        "/api/v1/responses/{response_id}/withdraw",
        "/api/v1/hearings/{hearing_id}/responses",
        "/api/v1/hearings/{hearing_id}/draft",
    }
    submit_operation = document["paths"]["/api/v1/hearings/{hearing_id}/responses"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(submit_operation["responses"])
    assert "Idempotency-Key" in {p["name"] for p in submit_operation["parameters"]}


def test_moderators_read_an_answer_but_cannot_answer_uninvited_or_change_it(
    api_client, open_hearing, audience, make_user, departments
):
    created = submit(api_client(audience["employee"]), open_hearing).json()
    editor = make_user("editor", department=departments["other"], groups=["Hearing editors"])
    # An editor who does not own the hearing does not read its answers.
    assert api_client(editor).get(f"/api/v1/responses/{created['id']}").status_code == 404
    moderator = make_user(
        "moderator", department=departments["other"], groups=["Response moderators"]
    )
    client = api_client(moderator)
    assert client.get(f"/api/v1/responses/{created['id']}").json()["reference"]
    assert client.get("/api/v1/responses").json() == []  # "my answers" are their own
    assert submit(client, open_hearing).status_code == 403
    changed = put(client, f"/api/v1/responses/{created['id']}", {"answers": valid_answers()})
    assert changed.status_code == 403
    assert post(client, f"/api/v1/responses/{created['id']}/withdraw").status_code == 403
    assert HearingResponse.objects.get().status == ResponseStatus.SUBMITTED


def test_no_swagger_page_pulls_scripts_from_a_cdn(client):
    # Swagger UI would load scripts from a CDN, which the CSP forbids; the document is enough.
    assert client.get("/api/v1/docs", follow=True).status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_two_people_sending_the_same_key_each_store_their_answer(
    api_client, open_hearing, audience
):
    first = submit(api_client(audience["employee"]), open_hearing, key="send-1")
    second = submit(api_client(audience["colleague"]), open_hearing, key="send-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["reference"] != second.json()["reference"]
    assert HearingResponse.objects.count() == 2


def test_a_repeated_amendment_with_the_same_key_is_recorded_once(
    api_client, open_hearing, audience
):
    client = api_client(audience["employee"])
    created = submit(client, open_hearing).json()
    path = f"/api/v1/responses/{created['id']}"
    first = {"answers": valid_answers(short="Leder")}
    retry = {"answers": valid_answers(short="Chef")}  # a resent request counts as the first
    assert put(client, path, first, HTTP_IDEMPOTENCY_KEY="amend-1").status_code == 200
    assert put(client, path, retry, HTTP_IDEMPOTENCY_KEY="amend-1").status_code == 200
    stored = HearingResponse.objects.get()
    assert stored.answers["short"]["value"] == "Leder"
    assert stored.revisions.count() == 2  # submitted, amended
