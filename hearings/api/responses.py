"""``/api/v1/``: answering hearings as the signed-in person (django-ninja).

A thin caller: answers are checked by the same ``ResponseForm`` the hearing page uses,
after each question type has put its JSON answer into the form's data
(``QuestionBlock.form_data``), and stored by ``hearings.responding``;
``hearings.access`` decides who may do what, and a ``Refused`` carries the HTTP status
of its code. Authentication is the Django session with CSRF protection on every unsafe
request (see docs/api.md).
"""

import json
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Header, NinjaAPI, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from hearings import access, audit, responding
from hearings.blocks.questions import AnswerShapeError, form_version, questions
from hearings.errors import Refused
from hearings.forms import INVALID_TEXT, ResponseForm
from hearings.listing import responses_of
from hearings.models import HearingPage, HearingResponse
from hearings.text import invalid_paths, is_valid_text, scrub


class ObjectParser(Parser):
    """Bodies are JSON objects in UTF-8 sent as ``application/json``: ``[]`` or ``null`` is
    not an empty answer (django-ninja would read any empty value as one), and JSON sent
    as ``text/plain`` or UTF-16 is refused. A body it cannot parse is a 400."""

    def parse_body(self, request):
        if request.content_type != "application/json":
            raise ValueError("Send the body as application/json.")
        data = json.loads(request.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("The body must be a JSON object.")
        return data


api_v1 = NinjaAPI(
    title="Agora responses API",
    version="1",
    description=(
        "Answer hearings as the signed-in person: list your answers, save a draft, "
        "submit, amend and withdraw. Authentication: the Django session cookie; unsafe "
        "requests need the CSRF token in the X-CSRFToken header. See docs/api.md."
    ),
    auth=django_auth,
    urls_namespace="api-v1",
    parser=ObjectParser(),
    # No Swagger UI: it loads scripts from a CDN and inline, which the portal's
    # Content Security Policy forbids. The OpenAPI document is at /api/v1/openapi.json.
    docs_url=None,
)


class HearingRef(Schema):
    id: int
    title: str
    phase: str
    closes_at: datetime | None


class OnBehalfOfOut(Schema):
    kind: str
    name: str


class ResponseOut(Schema):
    id: int
    hearing: HearingRef
    status: str
    reference: str = Field(description="The receipt reference; empty for a draft.")
    submitted_at: datetime | None
    amended_at: datetime | None
    withdrawn_at: datetime | None
    on_behalf_of: OnBehalfOfOut
    form_version: str
    answers: dict[str, Any] = Field(
        description="Keyed by question id, each with the label and value as answered."
    )


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Keyed by question id (see form_schema in /api/v2/hearings/<id>/): text for "
            "text questions, an option id for single choice, a list of option ids for "
            'multiple choice, a number for a scale, "yes"/"no", true for consent, '
            '{"kind": "myself"|"department"|"organisation", "name": ...} for "on behalf '
            'of", a list of attachment ids already uploaded on the hearing page for files.'
        ),
    )


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Messages per question id ('' for the whole answer). An unknown question id "
            "is a 400 with its message under that id."
        ),
    )


class ApiError(Exception):
    def __init__(self, status, detail, errors=None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or {}


@api_v1.exception_handler(ApiError)
def api_error(request, error):
    return api_v1.create_response(
        request, {"detail": error.detail, "errors": error.errors}, status=error.status
    )


@api_v1.exception_handler(RequestDataTooBig)
def too_large(request, error):
    """A body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413, never the debug page's 500."""
    return api_v1.create_response(
        request, {"detail": _("The request is too large."), "errors": {}}, status=413
    )


@api_v1.exception_handler(NinjaValidationError)
def malformed_request(request, error):
    """A body that is not the documented JSON shape: 400, like any invalid answer."""
    errors = {}
    for item in error.errors:
        location = ".".join(str(part) for part in item.get("loc", ())[1:])
        errors.setdefault(scrub(location), []).append(scrub(str(item.get("msg", ""))))
    return api_v1.create_response(
        request, {"detail": _("The request is malformed."), "errors": errors}, status=400
    )


def _serialize(response):
    hearing = response.hearing
    return {
        "id": response.pk,
        "hearing": {
            "id": hearing.pk,
            "title": hearing.title,
            "phase": hearing.phase,
            "closes_at": hearing.closes_at,
        },
        "status": response.status,
        "reference": response.reference,
        "submitted_at": response.submitted_at,
        "amended_at": response.amended_at,
        "withdrawn_at": response.withdrawn_at,
        "on_behalf_of": {"kind": response.on_behalf_of_kind, "name": response.on_behalf_of_name},
        "form_version": response.form_version,
        "answers": response.answers,
    }


# The largest primary key a database holds; a larger id is simply not found.
MAX_ID = 2**63 - 1


def _hearing_or_404(user, hearing_id):
    if not 0 < hearing_id <= MAX_ID:
        raise Http404
    return get_object_or_404(
        access.visible_hearings(user, HearingPage.objects.live()), pk=hearing_id
    )


def _response_or_404(user, response_id):
    if not 0 < response_id <= MAX_ID:
        raise Http404
    response = get_object_or_404(
        HearingResponse.objects.select_related("hearing", "respondent"), pk=response_id
    )
    if not access.can_see_response(user, response):
        raise Http404
    return response


def _refuse(refused):
    """403 when it is who the person is, 409 when it is the state of things."""
    raise ApiError(refused.http_status, str(refused.message))


IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="Any string unique to this submission; a repeat returns the stored answer.",
)


def _token(user, hearing, key):
    """The submission token for this person's ``Idempotency-Key`` on ``hearing``; a fresh
    one without a key.

    Tokens are unique across all answers, so the key is mapped to a UUID together with
    the person and the hearing: two people who happen to send the same key do not
    collide, and a key reused on another hearing is a new submission there.
    """
    key = (key or "").strip()
    if not key:
        return uuid.uuid4()
    if len(key) > 255 or not is_valid_text(key):
        raise ApiError(
            400, _("The request is malformed."), {"Idempotency-Key": [str(INVALID_TEXT)]}
        )
    return uuid.uuid5(uuid.NAMESPACE_URL, f"agora:idempotency:{user.pk}:{hearing.pk}:{key}")


def _form_data(hearing, answers, token):
    """The JSON answers as the hearing page's form data, so the same form checks them."""
    data = QueryDict(mutable=True)
    data["token"] = str(token)
    shape_errors = {}
    known = {child.id: child for child in questions(hearing.response_form)}
    for question_id in answers:
        if question_id not in known:
            shape_errors[question_id] = [_("There is no such question in this hearing.")]
    for question_id, child in known.items():
        if answers.get(question_id) is None:
            continue
        try:
            child.block.form_data(question_id, answers[question_id], data)
        except AnswerShapeError as error:
            shape_errors[question_id] = [str(error)]
    return data, shape_errors


def _refuse_invalid_text(answers):
    """400 with a message per question when any text in ``answers`` (keys included) has
    characters Agora refuses (``hearings.text``): a lone surrogate, NUL, …"""
    errors = {}
    for path in invalid_paths(answers):
        errors.setdefault(scrub(str(path[0])), [str(INVALID_TEXT)])
    if errors:
        raise ApiError(400, _("The answer has errors."), errors)


def _checked_form(request, hearing, response, answers, token, draft=False):
    user = request.user
    _refuse_invalid_text(answers)
    data, shape_errors = _form_data(hearing, answers, token)
    form = ResponseForm(
        hearing,
        user=user,
        data=data,
        attachments=responding.available_attachments(user, hearing, response),
        draft=draft,
    )
    valid = form.is_valid()
    if shape_errors or (not valid and not draft):
        errors = form.errors_by_question() if not draft else {}
        for question_id, messages in shape_errors.items():
            errors.setdefault(question_id, []).extend(messages)
        raise ApiError(400, _("The answer has errors."), errors)
    return form


# Every endpoint but /csrf needs a signed-in person (401 without one); every one with a
# path id or a body may answer 400 (a malformed request, an unknown question).
SIGNED_IN = {401: ErrorOut}
WITH_BODY = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut}


class CsrfOut(Schema):
    csrf_token: str


@api_v1.get("/csrf", auth=None, response=CsrfOut, summary="Get a CSRF token")
def csrf(request):
    """Sets the CSRF cookie and returns its token: send it as ``X-CSRFToken``."""
    return {"csrf_token": get_token(request)}


@api_v1.get(
    "/responses", response={200: list[ResponseOut], **SIGNED_IN}, summary="List my answers"
)
def list_responses(request):
    """Your answers to all hearings, newest first, drafts and withdrawn ones included."""
    return [_serialize(response) for response in responses_of(request.user)]


@api_v1.get(
    "/responses/{response_id}",
    response={200: ResponseOut, 400: ErrorOut, 404: ErrorOut, **SIGNED_IN},
    summary="Get one answer",
)
def get_response(request, response_id: int):
    response = _response_or_404(request.user, response_id)
    audit.log_response_read(request.user, response, audit.API_READ)
    return _serialize(response)


@api_v1.post(
    "/hearings/{hearing_id}/responses",
    response={
        200: ResponseOut,
        201: ResponseOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **WITH_BODY,
    },
    summary="Submit an answer",
)
def submit_response(
    request, hearing_id: int, payload: AnswersIn, idempotency_key: str | None = IDEMPOTENCY_KEY
):
    """Hand in an answer; the reply carries the receipt reference.

    Repeating the request with the same ``Idempotency-Key`` returns the stored answer
    (200) instead of storing another. A draft saved earlier is handed in.
    """
    user = request.user
    hearing = _hearing_or_404(user, hearing_id)
    token = _token(user, hearing, idempotency_key)
    if earlier := responding.find_by_token(user, token):
        return Status(200, _serialize(earlier))
    if refusal := access.respond_refusal(user, hearing):
        _refuse(refusal)
    draft = responding.active_response(user, hearing)
    form = _checked_form(request, hearing, draft, payload.answers, token)
    try:
        outcome = responding.submit(
            user,
            hearing,
            form.answers(),
            token=token,
            on_behalf_of=form.on_behalf_of(),
            attachment_ids=form.kept_attachment_ids(),
            form_version=form_version(hearing.response_form),
            token_checked=True,  # above; a twin stored since is found under the lock
        )
    except Refused as refused:
        _refuse(refused)
    return Status(200 if outcome.duplicate else 201, _serialize(outcome.response))


@api_v1.put(
    "/hearings/{hearing_id}/draft",
    response={200: ResponseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **WITH_BODY},
    summary="Save a draft",
)
def save_draft(request, hearing_id: int, payload: AnswersIn):
    """Keep an unfinished answer; required questions may be left out. Submit it later."""
    user = request.user
    hearing = _hearing_or_404(user, hearing_id)
    if refusal := access.respond_refusal(user, hearing):
        _refuse(refusal)
    draft = responding.active_response(user, hearing)
    form = _checked_form(request, hearing, draft, payload.answers, uuid.uuid4(), draft=True)
    try:
        outcome = responding.save_draft(
            user,
            hearing,
            form.draft_answers(),
            attachment_ids=form.kept_attachment_ids(),
            form_version=form_version(hearing.response_form),
        )
    except Refused as refused:
        _refuse(refused)
    return _serialize(outcome.response)


@api_v1.put(
    "/responses/{response_id}",
    response={200: ResponseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **WITH_BODY},
    summary="Amend an answer",
)
def amend_response(
    request, response_id: int, payload: AnswersIn, idempotency_key: str | None = IDEMPOTENCY_KEY
):
    """Replace a handed-in answer before the deadline; the change is kept as a revision."""
    user = request.user
    response = _response_or_404(user, response_id)
    if refusal := access.change_refusal(user, response):
        _refuse(refusal)
    hearing = response.hearing
    token = _token(user, hearing, idempotency_key)
    form = _checked_form(request, hearing, response, payload.answers, token)
    try:
        outcome = responding.amend(
            user,
            response,
            form.answers(),
            token=token if idempotency_key else None,
            on_behalf_of=form.on_behalf_of(),
            attachment_ids=form.kept_attachment_ids(),
            form_version=form_version(hearing.response_form),
        )
    except Refused as refused:
        _refuse(refused)
    outcome.response.refresh_from_db()
    return _serialize(outcome.response)


@api_v1.post(
    "/responses/{response_id}/withdraw",
    response={
        200: ResponseOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **SIGNED_IN,
    },
    summary="Withdraw an answer",
)
def withdraw_response(request, response_id: int):
    """Withdraw a handed-in answer before the deadline. Withdrawing twice is harmless."""
    user = request.user
    response = _response_or_404(user, response_id)
    try:
        outcome = responding.withdraw(user, response)
    except Refused as refused:
        _refuse(refused)
    return _serialize(outcome.response)
