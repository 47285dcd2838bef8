"""Answering a hearing: save a draft, submit, amend, withdraw.

The one service for the hearing page and the responses API. Every write runs in a
transaction that first locks the hearing's row, then reads the clock: whether an
answer is in time is decided at the moment it is saved, so an answer one second late
is refused and nothing is stored. The lock also serialises answers to one hearing,
which makes the per-hearing reference numbers gap-free; the idempotency token and
the "one active response" constraint make a repeated or concurrent submission store
one response.
"""

import copy
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings import access, attachments, moderation, notifications, one_statement
from hearings.blocks.questions import field_name, questions
from hearings.errors import Refused
from hearings.models import (
    HearingPage,
    HearingResponse,
    OnBehalfOfKind,
    ResponseAttachment,
    ResponseRevision,
    ResponseStatus,
)
from hearings.numbering import make_reference, next_sequence
from hearings.prepared import Prepared


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
    if hearing.pk is None:  # a preview of a hearing never saved
        return None
    found = _ACTIVE_RESPONSE(hearing_id=hearing.pk, user_id=user.pk)
    return next(iter(found), None)


# The queries each view of the hearing page and each answer make, compiled once per
# process (hearings.prepared, #16).
_ACTIVE_RESPONSE = Prepared(
    lambda hearing_id, user_id: (
        HearingResponse.objects.active()
        .filter(hearing_id=hearing_id, respondent_id=user_id)
        .order_by("pk")[:1]
    )
)


def _by_token(token):
    """A response that a submission with ``token`` created, or amended."""
    amended = ResponseRevision.objects.filter(token=token).values("response_id")
    return Q(submission_token=token) | Q(pk__in=amended)


def _earlier_and_active(hearing_id, user_id, token):
    active = Q(hearing_id=hearing_id) & HearingResponse.objects.active_condition()
    by_token = _by_token(token)
    return (
        HearingResponse.objects.filter(respondent_id=user_id)
        .filter(active | by_token)
        .annotate(
            _by_token=ExpressionWrapper(by_token, output_field=BooleanField()),
            _active=ExpressionWrapper(active, output_field=BooleanField()),
        )
        .order_by("pk")
    )


_EARLIER_AND_ACTIVE = Prepared(_earlier_and_active)


def find_by_token(user, token):
    """The user's response that a submission with ``token`` created or amended, if any."""
    if not token or not user.is_authenticated:
        return None
    # One query (#16: two, asked twice per answer): the person's few responses, by the
    # token of their submission or of any amendment.
    return (
        HearingResponse.objects.filter(respondent=user)
        .filter(_by_token(token))
        .order_by("pk")
        .first()
    )


def earlier_and_active(user, hearing, token):
    """(``find_by_token(user, token)``, ``active_response(user, hearing)``) in one
    query: the person's responses that are either."""
    if not token or not user.is_authenticated or hearing.pk is None:
        return None, active_response(user, hearing)
    found = list(_EARLIER_AND_ACTIVE(hearing_id=hearing.pk, user_id=user.pk, token=token))
    earlier = next((response for response in found if response._by_token), None)
    return earlier, next((response for response in found if response._active), None)


def available_attachments(user, hearing, response=None):
    """Files this person may keep in their answer: earlier uploads and the response's own."""
    if not user.is_authenticated:
        return ResponseAttachment.objects.none()
    mine = Q(response__isnull=True, uploaded_by=user)
    if response is not None:
        mine |= Q(response=response, removed_at__isnull=True)
    return ResponseAttachment.objects.filter(mine, hearing=hearing).order_by("created_at", "pk")


# Uploads -------------------------------------------------------------------------


def stash_uploads(user, hearing, files, *, data=None, response=None, skipped=()):
    """Check and store the files of one request; they stay with the uploader until saved.

    ``files`` is ``request.FILES``, ``data`` the posted form (its kept files count
    against a question's ``max_files``), ``skipped`` the files the upload handler did
    not read (``request.skipped_uploads``). Returns (new attachments, {question id:
    [errors]}). A question's files are all checked before any is stored, and none is
    stored when there are more than it allows, or when the person may not answer.
    """
    stored, errors = [], {}
    if not (files or skipped) or not access.can_respond(user, hearing):
        return stored, errors
    for child in questions(hearing.response_form):
        if not child.block.accepts_files:
            continue
        question_id, name = child.id, field_name(child.id)
        problems = errors.setdefault(question_id, [])
        for field, file_name, reason in skipped:
            if field == name:
                problems.append(_skipped_message(file_name, reason))
        uploads = files.getlist(name)
        allowed, max_mb = child.block.upload_rules(child.value)
        max_files = child.value["max_files"]
        kept = _kept_count(user, hearing, response, data, child)
        if len(uploads) + kept > max_files:
            problems.append(
                _("Attach at most %(count)d files. None of the new files was saved.")
                % {"count": max_files}
            )
            continue
        checked = []
        for upload in uploads:
            try:
                checked.append(
                    (
                        upload,
                        attachments.check_upload(
                            upload, allowed, attachments.max_bytes_for(max_mb)
                        ),
                    )
                )
            except Refused as rejected:
                problems.append(rejected.message)
        # The same file sent again (after a hand-in that failed, say, when it was kept
        # already) is the file kept, not a second copy in the answer.
        have = {}
        if checked:
            for attachment in available_attachments(user, hearing, response).filter(
                question_id=question_id
            ):
                have.setdefault((attachment.sha256, attachment.original_name), attachment)
        for upload, details in checked:
            key = (details.sha256, details.original_name)
            if key not in have:
                have[key] = attachments.store(user, hearing, question_id, upload, details)
            if have[key] not in stored:
                stored.append(have[key])
    return stored, {question_id: found for question_id, found in errors.items() if found}


def _skipped_message(file_name, reason):
    if reason == attachments.LimitedUploadHandler.TOO_MANY:
        return _("%(name)s was not saved: too many files in one go.") % {"name": file_name}
    return _("%(name)s is too large. Files may be up to %(limit)s.") % {
        "name": file_name,
        "limit": filesizeformat(attachments.max_bytes_for()),
    }


def _kept_count(user, hearing, response, data, child):
    """How many files already attached to ``child`` the posted form keeps."""
    if data is None:
        return 0
    posted = {raw for raw in data.getlist(child.block.keep_name(child.id)) if raw.isdigit()}
    if not posted:
        return 0
    available = available_attachments(user, hearing, response).filter(question_id=child.id)
    return available.filter(pk__in=[int(raw) for raw in posted if len(raw) < 19]).count()


def _bind_attachments(response, attachment_ids, user, now, new=False):
    """Make ``attachment_ids`` the response's current files; mark the others removed
    (a ``new`` response, just written, has no others)."""
    ids = set(attachment_ids)
    if new and not ids:
        return
    ResponseAttachment.objects.filter(
        pk__in=ids, hearing=response.hearing, response__isnull=True, uploaded_by=user
    ).update(response=response)
    if not new:
        response.attachments.filter(removed_at__isnull=True).exclude(pk__in=ids).update(
            removed_at=now
        )


# Writing -------------------------------------------------------------------------


def _lock_hearing(hearing):
    """Lock the hearing's row for this transaction and read its state fresh: a copy of
    ``hearing`` (the page as this request read it, with what its access checks already
    decided about the person's audience and parties) with every column but its texts
    read again under the lock. The deadline, publication and type are judged on the
    locked row; the texts (the body, the form, the memo) are what the person saw and
    answered (#16: building the whole page again was a sixth of an answer's time)."""
    row = next(iter(_LOCKED_HEARING(pk=hearing.pk)), None)
    if row is None:
        raise HearingPage.DoesNotExist(hearing.pk)
    locked = copy.copy(hearing)  # its texts as the person saw them
    locked.__dict__.update(zip(LOCKED_FIELDS, row, strict=True))
    locked._state.adding = False
    for name in list(locked._state.fields_cache):
        attname = _FORWARD_KEYS.get(name)
        if attname is None or getattr(locked, attname) != getattr(hearing, attname, None):
            del locked._state.fields_cache[name]  # changed since (or not a column): read again
    return locked


# The texts a hearing page holds (large, and not what an answer's decisions read).
DEFERRED_UNDER_LOCK = ("summary", "body", "response_form", "memo", "memo_changes")
LOCKED_FIELDS = tuple(
    field.attname
    for field in HearingPage._meta.concrete_fields
    if field.attname not in DEFERRED_UNDER_LOCK
)
# The related records a page read moments ago may keep under the lock, by the column
# that names them (if it still names the same).
_FORWARD_KEYS = {
    field.name: field.attname
    for field in HearingPage._meta.concrete_fields
    if field.many_to_one or field.one_to_one
}
_LOCKED_HEARING = Prepared(
    lambda pk: (
        HearingPage.objects.select_for_update().filter(pk=pk).values_list(*LOCKED_FIELDS)[:1]
    )
)


NOT_READ = object()


class TokenUsed(Refused):
    """The form's token belongs to a submission that is not the person's: the form must
    be sent again with a new one (the page gives it one, keeping what was typed)."""


class NotAtOnce(Exception):
    """``submit(at_once=True)`` stored nothing: the person has a response already (a
    draft or an answer) that is not this submission's."""


def _lock_active(user, hearing):
    return (
        HearingResponse.objects.select_for_update()
        .active()
        .filter(hearing=hearing, respondent=user)
        .first()
    )


def _draft_or_new(user, hearing, now, active=NOT_READ):
    """The person's draft of ``hearing`` (locked), or a new response, if they may answer
    at ``now`` and have not handed in an answer already. Call with the hearing locked;
    ``active``: the person's active response, if the caller has locked it already."""
    refusal = access.respond_refusal(user, hearing, now)
    if refusal:
        raise refusal
    response = _lock_active(user, hearing) if active is NOT_READ else active
    if response is not None and not response.is_draft:
        raise Refused(_("You have already answered this hearing. You can amend your answer."))
    return response or HearingResponse(hearing=hearing, respondent=user)


def save_draft(user, hearing, answers, *, attachment_ids=(), form_version="", now=None):
    """Keep what the person has typed so far; they can resume it later.

    ``now`` (default: the clock, read once the hearing is locked) is for tests.
    """
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        now = now or timezone.now()
        response = _draft_or_new(user, hearing, now)
        response.answers = answers
        response.form_version = form_version
        response.save()
        _bind_attachments(response, attachment_ids, user, now)
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
    party=None,
    now=None,
    token_checked=False,
    active_seen=NOT_READ,
    at_once=False,
):
    """Hand in an answer. A repeated ``token`` returns the response it already created.

    ``token_checked``: the caller has looked ``token`` up (``find_by_token``) before
    this call; then only a twin stored since (the person's active response with the
    same token, found under the hearing's lock) is looked for again.

    ``active_seen``: the person's active response as the caller read it a moment ago.
    None (they had none, the common case) spares reading it again under the lock: a
    twin or draft stored since meets the "one active response" constraint, and the
    submission is then looked up by its token, or tried again the careful way.

    ``at_once``: the caller has read neither the token nor the person's active
    response, and decides the careful way itself if this answer is not simply new:
    stored as a new response, or the twin with ``token`` returned, or ``NotAtOnce``
    raised with nothing stored.

    Whether it is in time is judged at ``now`` (default: the clock, read once the
    hearing is locked). With ``party`` the answer is the hearing party's: the person
    must be one of its contacts, and the party must not have answered already (unless
    the hearing accepts several responses per party).
    """
    arguments = locals().copy()  # this call's arguments, to try again the careful way
    if at_once:
        moment = now or timezone.now()
        if one_statement.possible(user, hearing, party, attachment_ids, send_receipt, moment):
            stored = one_statement.hand_in(
                user,
                hearing,
                answers,
                token=token,
                on_behalf_of=on_behalf_of,
                form_version=form_version,
                now=moment,
            )
            if stored is not None:
                response, duplicate = stored
                return Outcome(response, duplicate=duplicate, changed=not duplicate)
        # Stored nothing (or may not): the same at once, with the ORM, then the careful way.
        token_checked, active_seen = True, None
    optimistic = token_checked and active_seen is None
    try:
        with transaction.atomic():
            response, now, duplicate = _hand_in(
                user, hearing, token, token_checked, party, now, optimistic
            )
            outcome = Outcome(response, duplicate=duplicate, changed=not duplicate)
            if not duplicate:
                response.status = ResponseStatus.SUBMITTED
                response.answers = answers
                response.on_behalf_of_kind, response.on_behalf_of_name = (
                    (OnBehalfOfKind.ORGANISATION, party.name) if party else on_behalf_of
                )
                response.form_version = form_version
                response.submission_token = token
                response.submitted_at = now
                new = response.pk is None
                response.save()
                _bind_attachments(response, attachment_ids, user, now, new=new)
                first_revision(response, user, answers, form_version)
                # In the same transaction, on the row just written (#16: not read and
                # locked again in a second one).
                outcome.response = moderation.after_handed_in(response)
                if send_receipt:
                    send_receipt_mail(outcome.response, revision=1)
    except IntegrityError:
        # The database constraints are the last guard: a concurrent submission got
        # there first. Return that one if it is the same submission.
        existing = find_by_token(user, token)
        if existing is None:
            if at_once:  # a draft, an earlier answer: the caller's careful way decides
                raise NotAtOnce from None
            if optimistic:  # a draft saved meanwhile, say: the careful way decides
                return submit(**{**arguments, "active_seen": NOT_READ})
            if active_response(user, hearing) is None:
                # Not the person's answer, nor a twin: the token is someone else's.
                raise TokenUsed(
                    _("Your answer was not stored: the form had been sent already. Send it again.")
                ) from None
            raise Refused(
                _("You have already answered this hearing. You can amend your answer.")
            ) from None
        outcome = Outcome(existing, duplicate=True, changed=False)
    return outcome


def _hand_in(user, hearing, token, token_checked, party, now, optimistic=False):
    """Lock the hearing and find what the submission with ``token`` becomes: (the
    response it or its twin stored already, None, True), or (the person's draft or a
    new response, numbered, the clock read under the lock, False) if they may answer."""
    hearing = _lock_hearing(hearing)
    if not token_checked:
        existing = find_by_token(user, token)
        if existing is not None:
            return existing, None, True
    # Optimistic: the person had no active response a moment ago; one stored since
    # fails the insert below (the constraint), and submit looks again.
    active = None if optimistic else _lock_active(user, hearing)
    if active is not None and active.submission_token == token:
        # Its twin (a double click) was stored while this one waited for the lock.
        return active, None, True
    now = now or timezone.now()
    response = _draft_or_new(user, hearing, now, active=active)
    refusal = access.party_refusal(user, hearing, party)
    if refusal:
        raise refusal
    response.party = party or response.party
    sequence = next_sequence(hearing.pk)
    response.sequence = sequence
    response.reference = make_reference(hearing, sequence, now)
    return response, now, False


def first_revision(response, user, answers, form_version=""):
    """Revision 1 of a response just handed in (or registered by staff)."""
    return ResponseRevision.objects.create(
        response=response,
        number=1,
        kind=ResponseRevision.Kind.SUBMITTED,
        created_by=user,
        answers=answers,
        form_version=form_version,
    )


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
    now=None,
):
    """Change a handed-in answer before the deadline; the change is kept as a revision.

    An amended answer goes back to moderation (status ``submitted``).
    """
    with transaction.atomic():
        hearing = _lock_hearing(response.hearing)
        if token and ResponseRevision.objects.filter(token=token).exists():
            return Outcome(response, duplicate=True, changed=False)
        response = HearingResponse.objects.select_for_update().get(pk=response.pk)
        response.hearing = hearing
        now = now or timezone.now()
        refusal = access.change_refusal(user, response, now)
        if refusal:
            raise refusal
        if response.party_id:  # a party's answer stays the party's
            on_behalf_of = (response.on_behalf_of_kind, response.on_behalf_of_name)
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
        number = _add_revision(response, ResponseRevision.Kind.AMENDED, user, changes, token)
        response = moderation.after_handed_in(response)
        if send_receipt:
            send_receipt_mail(response, amended=True, revision=number)
    return Outcome(response)


def withdraw(user, response, now=None):
    """Withdraw a handed-in answer before the deadline. It is kept, marked withdrawn."""
    with transaction.atomic():
        _lock_hearing(response.hearing)
        response = HearingResponse.objects.select_for_update().get(pk=response.pk)
        if response.status == ResponseStatus.WITHDRAWN:
            return Outcome(response, duplicate=True, changed=False)
        now = now or timezone.now()
        refusal = access.change_refusal(user, response, now)
        if refusal:
            raise refusal
        response.status = ResponseStatus.WITHDRAWN
        response.withdrawn_at = now
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
    return number


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


def send_receipt_mail(response, amended=False, revision=None):
    """The respondent's receipt of revision number ``revision`` of ``response``: put on
    the outbox, sent once the caller's transaction commits (``notifications.receipt``)."""
    notifications.receipt(response, amended=amended, revision=revision)
