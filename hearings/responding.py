"""Answering a hearing: save a draft, submit, amend, withdraw.

The one service for the hearing page now and the API later. Every write runs in a
transaction that first locks the hearing's row, then reads the clock: whether an
answer is in time is decided at the moment it is saved, so an answer one second late
is refused and nothing is stored. The lock also serialises answers to one hearing,
which makes the per-hearing reference numbers gap-free; the idempotency token and
the "one active response" constraint make a repeated or concurrent submission store
one response.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings import access, attachments, moderation
from hearings.blocks.questions import option_list, questions
from hearings.models import (
    HearingPage,
    HearingResponse,
    ResponseAttachment,
    ResponseRevision,
    ResponseStatus,
)
from hearings.models.responses import ACTIVE_STATUSES, HANDED_IN_STATUSES

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The answer cannot be saved; ``message`` says why, for the person answering."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    response: HearingResponse
    duplicate: bool = False  # the same submission had already been stored
    changed: bool = True


# Reading -------------------------------------------------------------------------


def active_response(user, hearing):
    """The user's draft or handed-in (not withdrawn) response to ``hearing``, if any."""
    if not user.is_authenticated:
        return None
    return HearingResponse.objects.filter(
        hearing=hearing, respondent=user, status__in=ACTIVE_STATUSES
    ).first()


def responses_of(user):
    """The user's responses, newest first, for "my hearings"."""
    if not user.is_authenticated:
        return HearingResponse.objects.none()
    return (
        HearingResponse.objects.filter(respondent=user)
        .select_related("hearing")
        .order_by("-updated_at")
    )


def find_by_token(user, token):
    """The user's response that a submission with ``token`` created or amended, if any."""
    if not token or not user.is_authenticated:
        return None
    revision = ResponseRevision.objects.filter(token=token, response__respondent=user).first()
    if revision:
        return revision.response
    return HearingResponse.objects.filter(submission_token=token, respondent=user).first()


def available_attachments(user, hearing, response=None):
    """Files this person may keep in their answer: earlier uploads and the response's own."""
    if not user.is_authenticated:
        return ResponseAttachment.objects.none()
    mine = Q(response__isnull=True, uploaded_by=user)
    if response is not None:
        mine |= Q(response=response, removed_at__isnull=True)
    return ResponseAttachment.objects.filter(mine, hearing=hearing).order_by("created_at", "pk")


# Uploads -------------------------------------------------------------------------


def stash_uploads(user, hearing, files):
    """Check and store the files of one request; they stay with the uploader until saved.

    ``files`` is ``request.FILES``. Returns (new attachments, {question id: [errors]}).
    Nothing is stored when the person may not answer.
    """
    from hearings.forms import field_name, file_questions

    stored, errors = [], {}
    if not files or not access.can_respond(user, hearing):
        return stored, errors
    for question_id, child in file_questions(hearing.response_form).items():
        value = child.value
        allowed = list(value["allowed_types"])
        max_bytes = attachments.max_bytes_for(value["max_size_mb"])
        for upload in files.getlist(field_name(question_id)):
            try:
                checked = attachments.check_upload(upload, allowed, max_bytes)
            except attachments.AttachmentRejected as rejected:
                errors.setdefault(question_id, []).append(rejected.message)
                continue
            attachment = ResponseAttachment(
                hearing=hearing,
                uploaded_by=user,
                question_id=question_id,
                original_name=checked.original_name,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                scan_status=checked.scan_status,
                scan_detail=checked.scan_detail,
            )
            upload.seek(0)
            attachment.file.save(checked.name, upload, save=False)
            attachment.save()
            stored.append(attachment)
    return stored, errors


def _bind_attachments(response, attachment_ids, user, now):
    """Make ``attachment_ids`` the response's current files; mark the others removed."""
    ids = set(attachment_ids)
    ResponseAttachment.objects.filter(
        pk__in=ids, hearing=response.hearing, response__isnull=True, uploaded_by=user
    ).update(response=response)
    response.attachments.filter(removed_at__isnull=True).exclude(pk__in=ids).update(removed_at=now)


# Writing -------------------------------------------------------------------------


def _lock_hearing(hearing):
    """Lock the hearing's row for this transaction and read it fresh."""
    return HearingPage.objects.select_for_update().get(pk=hearing.pk)


def _lock_active(user, hearing):
    return (
        HearingResponse.objects.select_for_update()
        .filter(hearing=hearing, respondent=user, status__in=ACTIVE_STATUSES)
        .first()
    )


def _draft_or_new(user, hearing, now):
    """The person's draft of ``hearing`` (locked), or a new response, if they may answer
    at ``now`` and have not handed in an answer already. Call with the hearing locked."""
    reason = access.why_not_respond(user, hearing, now)
    if reason:
        raise Refused(reason)
    response = _lock_active(user, hearing)
    if response is not None and not response.is_draft:
        raise Refused(_("You have already answered this hearing. You can amend your answer."))
    return response or HearingResponse(hearing=hearing, respondent=user)


def save_draft(user, hearing, answers, *, attachment_ids=(), form_version=""):
    """Keep what the person has typed so far; they can resume it later."""
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        response = _draft_or_new(user, hearing, timezone.now())
        response.answers = answers
        response.form_version = form_version
        response.save()
        _bind_attachments(response, attachment_ids, user, timezone.now())
    return Outcome(response)


def submit(
    user,
    hearing,
    answers,
    *,
    token,
    on_behalf_of=("myself", ""),
    attachment_ids=(),
    form_version="",
    send_receipt=True,
):
    """Hand in an answer. A repeated ``token`` returns the response it already created."""
    try:
        with transaction.atomic():
            outcome = _submit(
                user, hearing, answers, token, on_behalf_of, attachment_ids, form_version
            )
    except IntegrityError:
        # The database constraints are the last guard: a concurrent submission got
        # there first. Return that one if it is the same submission.
        existing = find_by_token(user, token)
        if existing is None:
            raise Refused(
                _("You have already answered this hearing. You can amend your answer.")
            ) from None
        outcome = Outcome(existing, duplicate=True, changed=False)
    if not outcome.duplicate:
        outcome.response = moderation.after_handed_in(outcome.response)
    if send_receipt and not outcome.duplicate:
        send_receipt_mail(outcome.response)
    return outcome


def _submit(user, hearing, answers, token, on_behalf_of, attachment_ids, form_version):
    hearing = _lock_hearing(hearing)
    existing = find_by_token(user, token)
    if existing is not None:
        return Outcome(existing, duplicate=True, changed=False)
    now = timezone.now()
    response = _draft_or_new(user, hearing, now)
    sequence = (hearing.responses.aggregate(Max("sequence"))["sequence__max"] or 0) + 1
    response.sequence = sequence
    response.reference = make_reference(hearing, sequence, now)
    response.status = ResponseStatus.SUBMITTED
    response.answers = answers
    response.on_behalf_of_kind, response.on_behalf_of_name = on_behalf_of
    response.form_version = form_version
    response.submission_token = token
    response.submitted_at = now
    response.save()
    _bind_attachments(response, attachment_ids, user, now)
    ResponseRevision.objects.create(
        response=response,
        number=1,
        kind=ResponseRevision.Kind.SUBMITTED,
        created_by=user,
        answers=answers,
        form_version=form_version,
    )
    return Outcome(response)


def make_reference(hearing, sequence, now):
    """The human reference on the receipt: H-<year>-<hearing id>-<number>."""
    year = timezone.localtime(now).year
    return f"H-{year}-{hearing.pk:04d}-{sequence:04d}"


def amend(
    user,
    response,
    answers,
    *,
    token=None,
    on_behalf_of=("myself", ""),
    attachment_ids=(),
    form_version="",
    send_receipt=True,
):
    """Change a handed-in answer before the deadline; the change is kept as a revision.

    An amended answer goes back to moderation (status ``submitted``).
    """
    with transaction.atomic():
        _lock_hearing(response.hearing)
        if token and ResponseRevision.objects.filter(token=token).exists():
            return Outcome(response, duplicate=True, changed=False)
        response = HearingResponse.objects.select_for_update().get(pk=response.pk)
        now = timezone.now()
        reason = access.why_not_change_response(user, response, now)
        if reason:
            raise Refused(reason)
        changes = diff_answers(response.answers, answers)
        behalf_changed = (response.on_behalf_of_kind, response.on_behalf_of_name) != tuple(
            on_behalf_of
        )
        if not changes and not behalf_changed:
            return Outcome(response, changed=False)
        response.answers = answers
        response.on_behalf_of_kind, response.on_behalf_of_name = on_behalf_of
        response.form_version = form_version
        response.status = ResponseStatus.SUBMITTED
        response.amended_at = now
        response.save()
        _bind_attachments(response, attachment_ids, user, now)
        _add_revision(response, ResponseRevision.Kind.AMENDED, user, changes, token)
    response = moderation.after_handed_in(response)
    if send_receipt:
        send_receipt_mail(response, amended=True)
    return Outcome(response)


def withdraw(user, response):
    """Withdraw a handed-in answer before the deadline. It is kept, marked withdrawn."""
    with transaction.atomic():
        _lock_hearing(response.hearing)
        response = HearingResponse.objects.select_for_update().get(pk=response.pk)
        if response.status == ResponseStatus.WITHDRAWN:
            return Outcome(response, duplicate=True, changed=False)
        reason = access.why_not_change_response(user, response, timezone.now())
        if reason:
            raise Refused(reason)
        response.status = ResponseStatus.WITHDRAWN
        response.withdrawn_at = timezone.now()
        response.save()
        _add_revision(response, ResponseRevision.Kind.WITHDRAWN, user, {}, None)
    return Outcome(response)


def _add_revision(response, kind, user, changes, token):
    number = (response.revisions.aggregate(Max("number"))["number__max"] or 0) + 1
    ResponseRevision.objects.create(
        response=response,
        number=number,
        kind=kind,
        created_by=user,
        answers=response.answers,
        changes=changes,
        form_version=response.form_version,
        token=token,
    )


def diff_answers(before, after):
    """{question id: {"label", "before", "after"}} for every answer that changed."""
    changes = {}
    for question_id in dict.fromkeys([*before, *after]):
        old, new = before.get(question_id, {}), after.get(question_id, {})
        if old.get("value") != new.get("value"):
            changes[question_id] = {
                "label": new.get("label") or old.get("label", ""),
                "before": old.get("display", old.get("value")),
                "after": new.get("display", new.get("value")),
            }
    return changes


# Receipt -------------------------------------------------------------------------


def send_receipt_mail(response, amended=False):
    """Put the respondent's receipt on the outbox, which sends it right after the save."""
    from hearings import notifications

    notifications.queue_receipt(response, amended=amended)


def response_path(response, route="receipt"):
    """The path of a response's page under its hearing: receipt, amend or withdraw."""
    hearing = response.hearing
    return hearing.url + hearing.reverse_subpage(route, args=[response.pk])


def receipt_path(response):
    return response_path(response, "receipt")


def my_responses(user):
    """The user's answers for "my hearings": each with its links and whether it may change."""
    rows = []
    for response in responses_of(user):
        can_change = access.can_change_response(user, response)
        rows.append(
            {
                "response": response,
                "hearing": response.hearing,
                "receipt_url": None if response.is_draft else receipt_path(response),
                "amend_url": response_path(response, "amend") if can_change else None,
                "withdraw_url": response_path(response, "withdraw") if can_change else None,
            }
        )
    return rows


def answer_rows(hearing, answers):
    """[(label, answer dict)] in the order of the current form, then any answers left over.

    The label is the snapshot taken when the person answered.
    """
    rows, seen = [], set()
    for child in questions(hearing.response_form):
        if child.id in answers:
            rows.append((answers[child.id].get("label", ""), answers[child.id]))
            seen.add(child.id)
    for question_id, answer in answers.items():
        if question_id not in seen:
            rows.append((answer.get("label", ""), answer))
    return rows


# Editing the questions -----------------------------------------------------------


def form_change_problems(hearing, new_stream):
    """Messages for changes to ``hearing``'s questions that would orphan answers.

    A question that has answers cannot be removed or change type, and an option that
    has been chosen cannot be removed. Rewording is always allowed.
    """
    if hearing.pk is None:
        return []
    answered = (
        HearingResponse.objects.filter(hearing_id=hearing.pk, status__in=HANDED_IN_STATUSES)
        .exclude(answers={})
        .values_list("answers", flat=True)
    )
    used = {}  # question id -> (type, label, set of option ids)
    for answers in answered:
        for question_id, answer in answers.items():
            if not _has_value(answer):
                continue
            kind, label, options = used.get(question_id, (answer.get("type"), "", set()))
            value = answer.get("value")
            if answer.get("type") in ("single_choice", "multiple_choice"):
                options |= set(value if isinstance(value, list) else [value])
            used[question_id] = (kind, answer.get("label", label), options)
    if not used:
        return []
    current = {child.id: child for child in questions(new_stream)}
    problems = []
    for question_id, (kind, label, options) in used.items():
        child = current.get(question_id)
        if child is None:
            problems.append(
                _('The question "%(label)s" has answers and cannot be removed.') % {"label": label}
            )
        elif child.block_type != kind:
            problems.append(
                _('The question "%(label)s" has answers; its type cannot be changed.')
                % {"label": label}
            )
        elif options:
            remaining = {option_id for option_id, __ in option_list(child.value)}
            if options - remaining:
                problems.append(
                    _(
                        'An option of the question "%(label)s" has been chosen in answers '
                        "and cannot be removed. You may reword it."
                    )
                    % {"label": child.value["label"]}
                )
    return problems


def _has_value(answer):
    value = answer.get("value")
    return value not in (None, "", [], {}, False)
