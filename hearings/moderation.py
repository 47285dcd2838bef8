"""Moderating responses: approve (publish), reject, redact, flag as sensitive.

The one service for the admin views, bulk actions and tests. Every decision is
checked against ``hearings.access``, runs on a locked row and is written to Wagtail's
audit log (the actions are registered in ``hearings.wagtail_hooks``). The answers a
person gave are never changed here: a redaction is stored beside them and applied
only when a response is shown in public.
"""

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from hearings import access, notifications
from hearings.answers import answer_text, ordered_question_ids
from hearings.blocks.questions import question_block
from hearings.errors import Refused
from hearings.models import (
    HearingResponse,
    PublishedRespondentDetails,
    PublishResponses,
    ResponseRedaction,
    ResponseStatus,
)

# Audit-log actions; registered with their labels in hearings.wagtail_hooks.
APPROVE = "agora.response.approve"
AUTO_APPROVE = "agora.response.auto_approve"
REJECT = "agora.response.reject"
REDACT = "agora.response.redact"
FLAG = "agora.response.flag"
UNFLAG = "agora.response.unflag"
VIEW = "agora.response.view"
EXPORT = "agora.hearing.export"
CONCLUSION_NOTICE = "agora.hearing.conclusion_notice"

# A Danish CPR number: ddmmyy, optional dash, four digits.
CPR_PATTERN = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")


def _check(user, response):
    if not access.can_moderate(user, response.hearing):
        raise PermissionDenied


def _lock(response):
    # Lock the response row only: the responding service locks the hearing first, so
    # locking the joined hearing here too would deadlock with a concurrent submission.
    return (
        HearingResponse.objects.select_for_update(of=("self",))
        .select_related("hearing")
        .get(pk=response.pk)
    )


# Decisions -----------------------------------------------------------------------


def approve(user, response):
    """Approve ``response``: it is published if its hearing publishes responses."""
    _check(user, response)
    with transaction.atomic():
        response = _lock(response)
        if not response.can_be_approved:
            raise Refused(_("Only a submitted or rejected response can be approved."))
        _decide(response, ResponseStatus.PUBLISHED, user)
        log(response, APPROVE, user=user, data={"reference": response.reference})
    return response


def bulk_approve(user, responses):
    """Approve every submitted response among ``responses`` that is not flagged sensitive.

    Returns the approved responses; flagged ones need a moderator's look one by one.
    """
    approved = []
    for response in responses:
        if response.status != ResponseStatus.SUBMITTED or response.sensitive:
            continue
        try:
            approved.append(approve(user, response))
        except Refused:
            continue
    return approved


def reject(user, response, reason):
    """Reject ``response`` with a reason; the respondent is told why."""
    _check(user, response)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give a reason for the rejection."), Refused.INVALID)
    with transaction.atomic():
        response = _lock(response)
        if not response.can_be_rejected:
            raise Refused(_("Only a submitted or published response can be rejected."))
        response.rejection_reason = reason
        _decide(response, ResponseStatus.REJECTED, user)
        log(response, REJECT, user=user, data={"reference": response.reference, "reason": reason})
    notify_respondent(
        response,
        _("Your answer %(reference)s was not published") % {"reference": response.reference},
        "hearings/moderation/rejected_email.txt",
        {"reason": reason},
    )
    return response


def _decide(response, status, user):
    response.status = status
    response.moderated_at = timezone.now()
    response.moderated_by = user
    if status != ResponseStatus.REJECTED:
        response.rejection_reason = ""
    response.save(
        update_fields=["status", "moderated_at", "moderated_by", "rejection_reason", "updated_at"]
    )


def redact(user, response, question_id, text, reason):
    """Publish ``text`` instead of the answer to ``question_id``; the answer itself stays."""
    _check(user, response)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give a reason for the redaction."), Refused.INVALID)
    if question_id not in response.answers:
        raise Refused(_("The response has no answer to that question."), Refused.INVALID)
    with transaction.atomic():
        response = _lock(response)
        redaction = ResponseRedaction.objects.create(
            response=response, question_id=question_id, text=text, reason=reason, created_by=user
        )
        label = response.answers[question_id].get("label", "")
        log(
            response,
            REDACT,
            user=user,
            data={"reference": response.reference, "question": label, "reason": reason},
        )
    return redaction


def set_sensitive(user, response, sensitive):
    """Flag (or unflag) a response as holding sensitive data; flagged ones are never
    approved automatically, and a flagged published response goes back to moderation."""
    _check(user, response)
    with transaction.atomic():
        response = _lock(response)
        if response.sensitive == sensitive:
            return response
        response.sensitive = sensitive
        fields = ["sensitive", "updated_at"]
        if sensitive and response.status == ResponseStatus.PUBLISHED:
            response.status = ResponseStatus.SUBMITTED
            fields.append("status")
        response.save(update_fields=fields)
        log(response, FLAG if sensitive else UNFLAG, user=user)
    return response


def log_staff_view(user, response):
    """Record that a member of staff read a response with its personal data."""
    log(response, VIEW, user=user, data={"reference": response.reference})


def log_export(user, hearing, kind, count):
    log(hearing, EXPORT, user=user, data={"format": kind, "responses": count})


# Automatic approval --------------------------------------------------------------


def looks_sensitive(answers):
    """Does any text answer look like it holds a CPR number?"""
    for answer in answers.values():
        for text in (answer.get("display"), answer.get("value")):
            if isinstance(text, str) and CPR_PATTERN.search(text):
                return True
    return False


def auto_approve_allowed(response):
    hearing = response.hearing
    hearing_type = hearing.hearing_type
    return (
        hearing.publish_responses == PublishResponses.AFTER_MODERATION
        and hearing_type is not None
        and hearing_type.auto_approve
        and not response.sensitive
    )


def after_handed_in(response):
    """Called by ``hearings.responding`` once a response is submitted or amended, in
    the transaction that wrote it (its row and its hearing's are locked there): flag
    what looks sensitive, then approve it if the hearing's type allows that."""
    if response.status != ResponseStatus.SUBMITTED:
        return response
    if not response.sensitive and looks_sensitive(response.answers):
        response.sensitive = True
        response.save(update_fields=["sensitive", "updated_at"])
        log(response, FLAG, data={"reference": response.reference, "automatic": True})
    if auto_approve_allowed(response):
        _decide(response, ResponseStatus.PUBLISHED, None)
        log(response, AUTO_APPROVE, data={"reference": response.reference})
    return response


# Publication ---------------------------------------------------------------------


# Published responses shown on a hearing's page at a time: the page stays the same size
# (and takes the same queries) however many responses are published.
PUBLISHED_PAGE_SIZE = 20
MAX_PAGE = 1_000_000


def _to_publish(hearing):
    return (
        HearingResponse.objects.filter(hearing=hearing)
        .to_publish()
        .select_related("respondent__employee_profile__department")
        .prefetch_related("redactions")
        .order_by("sequence")
    )


def published_responses(hearing):
    """The approved responses shown on ``hearing``'s page, as dicts for the template."""
    if hearing.publish_responses != PublishResponses.AFTER_MODERATION:
        return []
    return [_public_view(hearing, response) for response in _to_publish(hearing)]


# How long a process trusts the count of a hearing's published responses it read (#16:
# counting 20,000 of them was half the database time of the hearing page). A change to
# any of the hearing's responses drops it at once in the process that made it
# (``forget_published``); other processes see it within this many seconds.
PUBLISHED_COUNT_SECONDS = 30


def _published_count_key(hearing_id):
    return f"agora:published-count:{hearing_id}"


def _generation_key(hearing_id):
    return f"agora:published-generation:{hearing_id}"


def published_generation(hearing_id):
    """A number that changes (in this process) whenever one of the hearing's responses
    or redactions does: part of the key of what is kept about its published responses."""
    return cache.get_or_set(_generation_key(hearing_id), 0, None)


def page_number(value):
    """``?responses=`` as a page number: 1 for anything not a number, at most MAX_PAGE."""
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def published_count(hearing):
    """How many responses ``hearing``'s page publishes (kept ``PUBLISHED_COUNT_SECONDS``)."""
    key = _published_count_key(hearing.pk)
    count = cache.get(key)
    if count is None:
        count = _to_publish(hearing).order_by().count()
        cache.set(key, count, PUBLISHED_COUNT_SECONDS)
    return count


def forget_published(sender, instance, **kwargs):
    """Signal handler: a response (or a redaction of one) was saved or deleted, so what
    this process keeps of its hearing's published responses is stale."""
    response = instance if isinstance(instance, HearingResponse) else instance.response
    hearing_id = response.hearing_id
    cache.delete(_published_count_key(hearing_id))
    try:
        cache.incr(_generation_key(hearing_id))
    except ValueError:  # not kept (expired, or never read in this process)
        cache.set(_generation_key(hearing_id), 1, None)


def published_responses_page(hearing, number=None):
    """One page (``PUBLISHED_PAGE_SIZE``) of the approved responses shown on
    ``hearing``'s page, as a ``Page`` of dicts for the template (its paginator holds the
    count); None when the hearing does not publish responses or none is published."""
    if hearing.publish_responses != PublishResponses.AFTER_MODERATION:
        return None
    # The redactions are read only for the responses that have any.
    responses = (
        _to_publish(hearing)
        .prefetch_related(None)
        .annotate(redacted=Exists(ResponseRedaction.objects.filter(response=OuterRef("pk"))))
    )
    # A page past any real one reads as the last; a huge number must not reach SQL.
    number = page_number(number)
    start = (number - 1) * PUBLISHED_PAGE_SIZE
    rows = list(responses[start : start + PUBLISHED_PAGE_SIZE])
    count = published_count(hearing)
    if not rows and number > 1:  # past the last page: show the last one
        number = max(1, -(-count // PUBLISHED_PAGE_SIZE))
        start = (number - 1) * PUBLISHED_PAGE_SIZE
        rows = list(responses[start : start + PUBLISHED_PAGE_SIZE])
    if not rows:
        return None
    prefetch_related_objects([row for row in rows if row.redacted], "redactions")
    for row in rows:
        if not row.redacted:
            none = ResponseRedaction.objects.none()
            none._result_cache, none._prefetch_done = [], True
            row._prefetched_objects_cache = {"redactions": none}
    # A count read just before a response was published elsewhere may be short of the
    # rows seen: never fewer than those.
    count = max(count, start + len(rows))
    paginator = Paginator(range(count), PUBLISHED_PAGE_SIZE)
    page = paginator.page(min(number, paginator.num_pages))
    page.object_list = [_public_view(hearing, response) for response in rows]
    return page


def published_responses_html(hearing, number=None):
    """One page of the published responses as HTML, "" when none is shown.

    The same for everyone who reads the page, so it is kept per process for
    ``PUBLISHED_COUNT_SECONDS`` (#16: 20 responses rendered on every view were a fifth
    of the page's time), per hearing revision, page and language. A change to any of the
    hearing's responses or redactions drops it at once in the process that made it
    (``forget_published``); other processes see it within those seconds.
    """
    number = page_number(number)
    key = ":".join(
        str(part)
        for part in (
            "agora:published-html",
            hearing.pk,
            published_generation(hearing.pk),
            hearing.latest_revision_id,
            number,
            translation.get_language(),
        )
    )
    html = cache.get(key)
    if html is None:
        page = published_responses_page(hearing, number)
        template = "hearings/moderation/published_responses_list.html"
        html = render_to_string(template, {"published": page}) if page else ""
        cache.set(key, html, PUBLISHED_COUNT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there


def _public_view(hearing, response):
    return {
        "reference": response.reference,
        "submitted_at": response.submitted_at,
        "on_behalf_of": response.on_behalf_of_display(),
        "respondent": respondent_shown(hearing, response),
        "answers": public_answer_rows(hearing, response),
    }


def respondent_shown(hearing, response):
    """The name (and department) the hearing allows to be shown, or ""."""
    details = hearing.published_respondent_details
    user = response.respondent
    if details == PublishedRespondentDetails.NONE:
        return ""
    if user is None:  # registered by staff: the sender as typed in
        return response.sender_name
    name = user.get_full_name() or user.get_username()
    if details == PublishedRespondentDetails.NAME_AND_DEPARTMENT:
        department = access.user_department(user)
        if department is not None:
            return f"{name}, {department.name}"
    return name


def publishable_question_ids(hearing, response):
    """Ids of the answers that can appear in public, in the one question order: not
    files, consent records or "on behalf of" (shown separately)."""
    return [
        question_id
        for question_id in ordered_question_ids(hearing, response.answers)
        if question_block(response.answers[question_id].get("type")).published
    ]


def public_answer_rows(hearing, response):
    """[(label, text, redacted)] of ``response`` as published: redactions applied.

    The label is the snapshot taken when the person answered.
    """
    redactions = {r.question_id: r for r in response.redactions.all()}  # newest wins
    rows = []
    for question_id in publishable_question_ids(hearing, response):
        answer = response.answers[question_id]
        label = answer.get("label", "")
        redaction = redactions.get(question_id)
        if redaction is not None:
            rows.append((label, redaction.text, True))
        else:
            rows.append((label, answer_text(answer), False))
    return rows


# Sending -------------------------------------------------------------------------


def notify_respondent(response, subject, template_name, context):
    """Put a mail to the respondent of ``response`` on the outbox (sent right after the
    save, retried by the job). The one place moderation and conclusion write to
    respondents. True when a mail was queued."""
    user = response.respondent
    if user is None or not user.email:
        return False
    hearing = response.hearing.specific
    context = {
        "response": response,
        "hearing": hearing,
        "hearing_url": notifications.hearing_url(hearing),
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template_name, context)
        subject = str(subject)
    row = notifications.queue(
        notifications.Kind.RESPONDENT_NOTICE,
        recipient=user.email,
        # The callers decide once-ness (a rejection, one conclusion notice per hearing).
        dedupe_key=f"{notifications.Kind.RESPONDENT_NOTICE}:{response.pk}:{uuid.uuid4().hex}",
        context={"subject": subject, "body": body},
        hearing=hearing,
        user=user,
    )
    notifications.send_soon(row)
    return row is not None
