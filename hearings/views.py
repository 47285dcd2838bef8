"""The hearings app's views: the hearing index and the hearing page with its answer form
(the pages' routes hand over to these), attachment downloads and ``/healthz``."""

import hmac
import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hearings import access, audit, responding, scanning
from hearings.answers import answer_rows
from hearings.blocks.questions import form_version
from hearings.errors import Refused
from hearings.forms import ACTION_DRAFT, ResponseForm
from hearings.jobs.health import queue_health
from hearings.listing import HearingFilter
from hearings.models import HearingPage, HearingResponse, ResponseAttachment
from hearings.text import is_valid_text

logger = logging.getLogger(__name__)

# The largest primary key a database holds: a larger id in a URL is simply not found
# (SQLite raises OverflowError on it instead of finding nothing).
MAX_ID = 2**63 - 1


@never_cache
@require_GET
def healthz(request):
    """200 when the database, the job queue (and clamd, when configured) answer, 503
    otherwise.

    Anonymous callers get only the status; the checks and the queue's figures are for
    hearing staff and for callers sending ``Authorization: Bearer <AGORA_HEALTHZ_TOKEN>``.
    A worker that has stopped running the schedule is reported as "late"; it makes the
    answer 503 only when ``AGORA_HEALTHZ_REQUIRE_WORKER`` is on (development often runs
    without one). A configured virus scanner that is down makes it 503: uploads are
    refused until it is back.
    """
    checks = {}
    queue = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    try:
        queue = queue_health()
        checks["queue"] = "ok" if queue["reachable"] else "error"
        checks["worker"] = queue["worker"]
    except Exception:
        logger.exception("Health check: job queue unreachable")
        checks["queue"] = "error"
    required = ["database", "queue"]
    if scanner := scanning.health():
        checks["scanner"] = scanner
        required.append("scanner")
    if settings.AGORA_HEALTHZ_REQUIRE_WORKER:
        required.append("worker")
    healthy = all(checks.get(name) == "ok" for name in required)
    body = {"status": "ok" if healthy else "error"}
    if _may_see_health_details(request):
        body.update(checks=checks, queue=queue)
    return JsonResponse(body, status=200 if healthy else 503)


def _may_see_health_details(request):
    if access.is_hearing_staff(request.user):
        return True
    token = settings.AGORA_HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())


# The hearing index -------------------------------------------------------------------


def hearing_index(request, page):
    """The hearings under ``page`` the person may see, filtered, open ones first."""
    hearings = access.visible_hearings(request.user, HearingPage.objects.child_of(page).live())
    hearing_filter = HearingFilter(request.GET, site=page.get_site())
    hearings = hearing_filter.apply(hearings, key=f"index:{page.pk}:{request.user.pk}")
    listing = Paginator(hearings, page.page_size).get_page(request.GET.get("page"))
    return page.render(
        request,
        context_overrides={
            "hearing_filter": hearing_filter,
            "hearings_page": listing,
            "query_string": hearing_filter.query_string(),
        },
    )


# Answering a hearing: the page's sub-routes (see HearingPage) call these. They are
# thin: hearings.responding decides, hearings.access says who may.


def _render(request, page, template=None, **context):
    """The hearing page (or one of its sub-pages) with whether the person may answer."""
    context.setdefault("why_not_respond", access.why_not_respond(request.user, page))
    context.setdefault("can_respond", context["why_not_respond"] is None)
    return page.render(request, template=template, context_overrides=context)


def _response_or_404(request, page, response_id):
    if response_id > MAX_ID:
        raise Http404
    response = get_object_or_404(
        HearingResponse.objects.select_related("respondent"), pk=response_id, hearing=page
    )
    if not access.can_see_response(request.user, response):
        raise Http404
    return response


def _form_for(request, page, response, answers=None, **kwargs):
    return ResponseForm(
        page,
        user=request.user,
        answers=answers,
        # Read only if the form has a question that takes files.
        attachments=lambda: responding.available_attachments(request.user, page, response),
        amending=response is not None and not response.is_draft,
        **kwargs,
    )


def hearing_page(request, page):
    """The hearing with the answer form, or the person's answer, or why they cannot answer."""
    user = request.user
    if request.method == "POST":
        if handed_in := _hand_in_at_once(request, page):
            return handed_in
        earlier, response = _earlier_and_active(request, page)
        if earlier is not None:
            # The same form posted twice (a double click, a reload): show what was stored.
            return redirect(earlier.page_path())
    else:
        response = responding.active_response(user, page)
    if response is not None and not response.is_draft:
        if request.method == "POST" and str(response.submission_token) == request.POST.get(
            "token"
        ):
            # Stored a moment ago by the same form posted at the same time (a double
            # click): to its receipt, as the first post went.
            return redirect(response.page_path())
        return _render(
            request,
            page,
            my_response=response,
            can_change_response=access.can_change_response(user, response),
        )
    if request.method == "POST" and user.is_authenticated:
        return _answer(request, page, response, amending=False)
    if getattr(request, "is_preview", False):
        # Editors previewing the hearing see the form as the audience will.
        return _render(request, page, form=_form_for(request, page, None))
    if not access.can_respond(user, page):
        return _render(request, page)
    form = _form_for(request, page, response, answers=response.answers if response else None)
    return _render(request, page, form=form, draft=response)


def _hand_in_at_once(request, page):
    """The common post, an answer with no files, handed in without first reading the
    person's responses (#16: that read was a tenth of an answer's POST): the redirect to
    its receipt, or None, and the careful way decides.

    The answer is inserted under the hearing's lock as the careful way would insert it
    for a person with no response. If the person has one after all (a draft, an answer,
    a twin of this post), the database refuses the insert: its constraints allow one
    active response per person and one response per form token. A twin's response is
    then found by the token, as the careful way finds it. Anything else (the refusal, an
    invalid form, a draft, files) stores nothing here."""
    user = request.user
    if (
        not user.is_authenticated
        or request.FILES
        or getattr(request, "skipped_uploads", ())
        or request.POST.get("action") == ACTION_DRAFT
        or not all(is_valid_text(value) for __, values in request.POST.lists() for value in values)
    ):
        return None
    form = _form_for(request, page, None, data=request.POST)
    if not form.is_valid() or form.kept_attachment_ids():
        return None
    try:
        return _hand_in(request, page, form, at_once=True)
    except (Refused, responding.NotAtOnce):
        return None


def _hand_in(request, page, form, **how):
    """Hand in the valid answer ``form`` (``responding.submit`` with ``how``): to the
    receipt, with thanks unless the answer was stored already by the same form."""
    outcome = responding.submit(
        request.user,
        page,
        form.answers(),
        token=form.cleaned_data["token"],
        on_behalf_of=form.on_behalf_of(),
        attachment_ids=form.kept_attachment_ids(),
        form_version=form_version(page.response_form),
        party=form.party(),
        **how,
    )
    if not outcome.duplicate:
        messages.success(request, _("Thank you. Your answer has been received."))
    return redirect(outcome.response.page_path())


def _posted_token(request):
    try:
        return uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return None


def _earlier_submission(request):
    """The response an identical earlier post (same form token) stored, if any; looked
    up once per request (the page and its answer handler both ask)."""
    if not hasattr(request, "_agora_earlier"):
        request._agora_earlier = responding.find_by_token(request.user, _posted_token(request))
    return request._agora_earlier


def _earlier_and_active(request, page):
    """(what an identical earlier post stored, the person's active response to
    ``page``), in one query (#16: two)."""
    request._agora_earlier, active = responding.earlier_and_active(
        request.user, page, _posted_token(request)
    )
    return request._agora_earlier, active


def _answer(request, page, response, amending):
    """Handle a posted answer form: save a draft, submit, or amend. ``response`` is the
    person's active response as this request read it (None: they had none a moment
    ago), or, amending, the response being amended."""
    user = request.user
    if earlier := _earlier_submission(request):
        return redirect(earlier.page_path())
    is_draft = request.POST.get("action") == ACTION_DRAFT and not amending
    template = "hearings/responding/amend.html" if amending else None
    if not all(is_valid_text(value) for __, values in request.POST.lists() for value in values):
        # Refused before anything is stored, the uploads of this post included.
        form = _form_for(request, page, response, data=request.POST, draft=is_draft)
        form.is_valid()
        refused = _render(request, page, template, form=form, draft=response, response=response)
        refused.status_code = 400
        return refused
    stashed, upload_errors = responding.stash_uploads(
        user,
        page,
        request.FILES,
        data=request.POST,
        response=response,
        skipped=getattr(request, "skipped_uploads", ()),
    )
    form = _form_for(
        request,
        page,
        response,
        data=request.POST,
        new_attachment_ids={a.pk for a in stashed},
        upload_errors=upload_errors,
        draft=is_draft,
    )
    version = form_version(page.response_form)
    valid = form.is_valid()
    try:
        if is_draft:
            responding.save_draft(
                user,
                page,
                form.draft_answers(),
                attachment_ids=form.kept_attachment_ids(),
                form_version=version,
            )
            if not upload_errors:
                messages.success(request, _("Your draft has been saved. You can continue later."))
                return redirect(page.get_url(request))
            # Saved, but a file was refused: say which and why rather than drop it silently.
            messages.warning(
                request, _("Your draft has been saved, but a file was refused (see below).")
            )
        if valid and not amending:
            # _earlier_submission asked; a twin stored since is found under the lock
            return _hand_in(request, page, form, token_checked=True, active_seen=response)
        if valid:
            outcome = responding.amend(
                user,
                response,
                form.answers(),
                token=form.cleaned_data["token"],
                on_behalf_of=form.on_behalf_of(),
                attachment_ids=form.kept_attachment_ids(),
                form_version=version,
            )
            if outcome.changed:
                messages.success(request, _("Your answer has been amended."))
            else:
                messages.info(request, _("You did not change anything."))
            return redirect(outcome.response.page_path())
    except Refused as refused:
        form.add_error(None, refused.message)
        if isinstance(refused, responding.TokenUsed):
            form.renew_token()
    return _render(request, page, template, form=form, draft=response, response=response)


def receipt(request, page, response_id):
    response = _response_or_404(request, page, response_id)
    audit.log_response_read(request.user, response, audit.RECEIPT_READ)
    return _render(
        request,
        page,
        "hearings/responding/receipt.html",
        response=response,
        answer_rows=answer_rows(page, response.answers),
        attachments=response.current_attachments(),
        revisions=response.revisions.select_related("created_by"),
        can_change_response=access.can_change_response(request.user, response),
    )


def _refuse_change(request, response):
    """Back to the receipt with the reason when the person may not change ``response``."""
    reason = access.why_not_change_response(request.user, response)
    if reason:
        messages.error(request, reason)
        return redirect(response.page_path())
    return None


def amend(request, page, response_id):
    response = _response_or_404(request, page, response_id)
    if refused := _refuse_change(request, response):
        return refused
    if request.method == "POST":
        return _answer(request, page, response, amending=True)
    form = _form_for(request, page, response, answers=response.answers)
    return _render(request, page, "hearings/responding/amend.html", form=form, response=response)


def withdraw(request, page, response_id):
    response = _response_or_404(request, page, response_id)
    if refused := _refuse_change(request, response):
        return refused
    if request.method == "POST":
        try:
            responding.withdraw(request.user, response)
        except Refused as refused:
            messages.error(request, refused.message)
            return redirect(response.page_path())
        messages.success(
            request,
            _("Your answer %(reference)s has been withdrawn.") % {"reference": response.reference},
        )
        return redirect(page.get_url(request))
    return _render(request, page, "hearings/responding/withdraw.html", response=response)


@never_cache
@require_GET
def download_attachment(request, pk):
    """Serve an attachment from private storage to those access.py allows; 404 for others."""
    if pk > MAX_ID:
        raise Http404
    attachment = get_object_or_404(
        ResponseAttachment.objects.select_related("response__hearing"), pk=pk
    )
    if not access.can_download_attachment(request.user, attachment):
        raise Http404
    audit.log_attachment_download(request.user, attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
