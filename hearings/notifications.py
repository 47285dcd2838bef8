"""The notification outbox: queue rendered e-mails, send them once, retry with backoff.

Everything that e-mails people goes through ``queue()``: the mail is rendered at once
(in the site's default language) and stored with a unique ``dedupe_key``, so the same
notification is never queued twice however often a job runs. ``flush()`` sends what is
due: a row is marked *sending* under a row lock and committed before the SMTP call, so
two workers never send the same row, and a worker that dies mid-send leaves the row in
*sending* — it is then reported, never sent again (at most once beats twice for mail).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hearings.answers import answer_rows
from hearings.models import HearingPage, HearingResponse, Notification, municipality_of
from hearings.phases import Phase, phases_filter
from hearings.retry import RetryPolicy

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Notification.Status


def retry_policy():
    """Wait 1, 2, 4, … minutes between attempts, at most six hours."""
    return RetryPolicy(
        max_attempts=getattr(settings, "AGORA_NOTIFICATION_MAX_ATTEMPTS", 8), cap_minutes=360
    )


def hearing_url(hearing):
    url = hearing.get_full_url()
    return url or f"{settings.WAGTAILADMIN_BASE_URL}{hearing.url or ''}"


def site_url(page):
    """Where ``page``'s site is served (scheme, host and port, no slash at the end), for
    a path under it in a mail: each municipality's people follow links to their own
    host. The configured base URL when the page is on no site."""
    parts = page.get_url_parts()  # from Wagtail's kept site root paths: no query
    return parts[1] if parts else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def admin_url(name, *args):
    return f"{settings.WAGTAILADMIN_BASE_URL}{reverse(name, args=args)}"


def sender_name(hearing=None, site=None):
    """The name a mail is sent by: the municipality of the hearing (or ``site``)."""
    if hearing is not None and site is None:
        site = hearing.get_site()
    return municipality_of(site).display_name if site else settings.WAGTAIL_SITE_NAME


def render(kind, context, site=None):
    """Subject, plain text and HTML of a ``kind`` of mail, in the default language,
    signed by the municipality of the mail's hearing (or ``site``)."""
    context = {
        "site_name": sender_name(context.get("hearing"), site),
        "LANGUAGE_CODE": settings.LANGUAGE_CODE,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        base = f"hearings/email/{kind}"
        subject = render_to_string(f"{base}_subject.txt", context)
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        signature = translation.gettext("Sent by %(site_name)s.") % context
    return " ".join(subject.split())[:255], f"{text.strip()}\n\n-- \n{signature}\n", html


def queue(kind, *, recipient, dedupe_key, context, hearing=None, user=None, site=None):
    """Queue one mail unless one with ``dedupe_key`` exists. Returns the new row or None.

    Safe inside a caller's transaction: a duplicate only rolls back its own savepoint.
    """
    if not recipient:
        return None
    subject, text, html = render(
        kind, {"hearing": hearing, "recipient": user, **context}, site=site
    )
    try:
        with transaction.atomic():
            return Notification.objects.create(
                kind=kind,
                hearing=hearing,
                recipient_user=user,
                recipient=recipient,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=dedupe_key[:255],
            )
    except IntegrityError:
        return None


def queue_for_users(kind, users, *, key, context, hearing=None):
    """Queue ``kind`` to each of ``users`` with an e-mail address; ``key`` plus the user
    id is the dedupe key. Returns how many were newly queued."""
    queued = 0
    for user in users:
        if user.email and queue(
            kind,
            recipient=user.email,
            dedupe_key=f"{key}:user:{user.pk}",
            context=context,
            hearing=hearing,
            user=user,
        ):
            queued += 1
    return queued


def receipt(response, amended=False, revision=None):
    """The respondent's receipt of ``response`` as of its revision number ``revision``
    (default: its latest). Call in the transaction that stored the revision.

    In production (``AGORA_SEND_MAIL_IN_REQUEST`` off, the ORM broker) the request only
    hands the receipt to the job queue's worker, which renders, queues and sends it
    (#16: the three templates and the outbox row were a fifth of an answer's time). The
    task is written in the caller's transaction: stored with the answer or not at all,
    and the ORM broker delivers it again if a worker dies. Otherwise, or if the task
    cannot be made, the receipt is rendered and queued here (the outbox job sends what
    the worker does not).
    """
    if not receipt_by_worker():
        send_soon(queue_receipt(response, amended=amended, revision=revision))
        return
    if revision is None:
        revision = response.revisions.count()
    try:
        package = worker_task(
            "hearings.notifications.send_receipt",
            response.pk,
            amended,
            revision,
            name=f"receipt-{response.pk}-{revision}",
        )
    except Exception:
        logger.exception("Could not hand receipt %s to the worker; queued it", response.pk)
        queue_receipt(response, amended=amended, revision=revision)
        return
    if package is not None:
        enqueue(package)


def receipt_by_worker():
    """Is a receipt handed to the job queue's worker (production), not rendered and
    queued in the request?"""
    return not settings.AGORA_SEND_MAIL_IN_REQUEST and "orm" in settings.Q_CLUSTER


def receipt_task_possible(alias):
    """Can a receipt's task be written, as ``task_row``, by the caller's own statement
    in the database ``alias``? (The worker takes tasks from that database's rows.)"""
    from django_q.conf import Conf

    return receipt_by_worker() and not (Conf.SYNC or Conf.BROKER_CLASS) and Conf.ORM == alias


def worker_task(func, *args, name):
    """``func(*args)`` as the job queue's worker receives it: the package django-q's
    ``async_task`` signs (its id, name, function, arguments and the cluster's options),
    for ``enqueue`` to write. None when django-q is set to run tasks at once (``sync``)
    or uses another broker: ``async_task`` itself has run or queued it then."""
    from django_q.conf import Conf
    from django_q.signals import pre_enqueue
    from django_q.signing import SignedPackage
    from django_q.tasks import async_task

    if Conf.SYNC or Conf.BROKER_CLASS:
        async_task(func, *args, task_name=name)
        return None
    task = {"id": uuid.uuid4().hex, "name": name, "func": func, "args": args}
    if Conf.CACHED:
        task["cached"] = Conf.CACHED
    if Conf.ACK_FAILURES:
        task["ack_failure"] = Conf.ACK_FAILURES
    task["kwargs"] = {}
    task["started"] = timezone.now()
    pre_enqueue.send(sender="django_q", task=task)
    return SignedPackage.dumps(task)


def enqueue(package):
    """Write ``package`` (``worker_task``) for the ORM broker's worker in the caller's
    transaction: the row django-q's ``async_task`` writes, without its savepoint, its
    broker lookup and its log line (#16). A failed write fails the caller's
    transaction, so the answer and its receipt are stored together or not at all."""
    from django_q.conf import Conf

    task_row(package).save(force_insert=True, using=Conf.ORM)


def task_row(package):
    """The ORM broker's row for ``package``, unsaved: the row django-q's ``async_task``
    writes."""
    from django_q.conf import Conf
    from django_q.models import OrmQ

    return OrmQ(key=Conf.CLUSTER_NAME, payload=package, lock=timezone.now())


def send_receipt_of(token):
    """What the worker runs for an answer handed in with one statement
    (``hearings.one_statement``): ``send_receipt`` of its first revision, the response found by
    its form token (its id is not known when the task is written)."""
    pk = (
        HearingResponse.objects.filter(submission_token=token).values_list("pk", flat=True).first()
    )
    if pk is not None:  # erased since (GDPR): nothing to confirm
        send_receipt(pk, False, 1)


def send_receipt(response_pk, amended, revision):
    """What the worker runs for ``receipt``: queue the receipt of revision ``revision``
    (with the answers as they were then) and send it. Run twice, it sends one mail."""
    response = (
        HearingResponse.objects.select_related("respondent", "hearing")
        .filter(pk=response_pk)
        .first()
    )
    if response is None:  # erased since (GDPR): nothing to confirm
        return
    handed_in = response.revisions.filter(number=revision).first()
    if handed_in is not None:
        response.answers = handed_in.answers
    row = queue_receipt(response, amended=amended, revision=revision)
    if row is not None:
        send_queued(row.pk)


def queue_receipt(response, amended=False, revision=None):
    """Queue the respondent's receipt (with their answers); None if it was queued before.

    One receipt per submission and per amendment: the key holds the revision number
    (default: the response's count of revisions).
    """
    user, hearing = response.respondent, response.hearing
    if user is None:
        return None
    if revision is None:
        revision = response.revisions.count()
    row = queue(
        Kind.RESPONSE_RECEIPT,
        recipient=user.email,
        dedupe_key=f"{Kind.RESPONSE_RECEIPT}:{response.reference}:{revision}",
        context={
            "response": response,
            "answers": answer_rows(hearing, response.answers),
            "amended": amended,
            "receipt_url": site_url(hearing) + response.page_path("receipt"),
        },
        hearing=hearing,
        user=user,
    )
    return row


def send_soon(row):
    """Send a just-queued mail once the caller's transaction commits; the job retries it.

    With ``AGORA_SEND_MAIL_IN_REQUEST`` off (production) the job queue's worker sends it,
    not the request that queued it: an answer is not kept waiting for the mail server.
    """
    if row is None:
        return
    if settings.AGORA_SEND_MAIL_IN_REQUEST:
        transaction.on_commit(lambda: send_queued(row.pk))
    else:
        transaction.on_commit(lambda: _hand_to_worker(row.pk))


def send_queued(pk):
    """Send the queued mail ``pk`` now, unless another process has taken it."""
    claimed = claim(timezone.now(), pk=pk)
    if claimed is not None:
        attempt_delivery(claimed)


def _hand_to_worker(pk):
    from django_q.tasks import async_task

    try:
        async_task("hearings.notifications.send_queued", pk, task_name=f"mail-{pk}")
    except Exception:  # the queue is unreachable: the outbox job sends it within a minute
        logger.exception("Could not hand mail %s to the worker; the outbox job will send it", pk)


def claim(now, pk=None):
    """Take one due row (or row ``pk``) and mark it *sending*, committed; None when
    nothing is due."""
    with transaction.atomic():
        rows = Notification.objects.select_for_update(skip_locked=True).filter(
            status=Status.QUEUED, next_attempt_at__lte=now
        )
        if pk is not None:
            rows = rows.filter(pk=pk)
        row = rows.order_by("next_attempt_at", "pk").first()
        if row is None:
            return None
        row.status = Status.SENDING
        row.attempts += 1
        row.save(update_fields=["status", "attempts"])
    return row


def from_address(row):
    """``DEFAULT_FROM_EMAIL`` with the municipality of the mail's hearing as its name."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if row.hearing_id is None or not address:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((sender_name(row.hearing), address))


def deliver(row):
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=from_address(row),
        to=[row.recipient],
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    message.send(fail_silently=False)


def attempt_delivery(row):
    """Send a claimed row; on failure keep it for a later attempt. True when sent."""
    try:
        deliver(row)
    except Exception as error:  # any backend error: keep the mail, try later
        policy = retry_policy()
        row.status = Status.FAILED if policy.gives_up(row.attempts) else Status.QUEUED
        row.next_attempt_at = timezone.now() + policy.backoff(row.attempts)
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.save(update_fields=["status", "next_attempt_at", "last_error"])
        # No address or error text in the log (it may quote the address): the row has it.
        logger.warning("Mail %s (%s) not sent: %s", row.pk, row.kind, type(error).__name__)
        return False
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    return True


def retry(row):
    """Queue a mail that failed for good again, with fresh attempts; due now."""
    updated = Notification.objects.filter(pk=row.pk, status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    return bool(updated)


def flush(now=None, limit=500):
    """Send the mails due at ``now`` (never earlier than this instant: mails queued by
    the same run are due). Returns (sent, failed for now)."""
    now = max(now or timezone.now(), timezone.now())
    sent = failed = 0
    for _ in range(limit):
        row = claim(now)
        if row is None:
            break
        if attempt_delivery(row):
            sent += 1
        else:
            failed += 1
    return sent, failed


def queue_owner_digests(now=None):
    """Queue today's digest to each owner of a hearing that is open or awaits its
    conclusion. Returns how many digests were queued."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    active = (
        HearingPage.objects.filter(phases_filter([Phase.OPEN, Phase.CLOSED], now))
        .exclude(hearing_owner=None)
        .select_related("hearing_owner")
        .order_by("closes_at")
    )
    by_owner = {}
    for hearing in active:
        by_owner.setdefault(hearing.hearing_owner, []).append(hearing)
    day = timezone.localdate(now).isoformat()
    queued = 0
    for owner, hearings in by_owner.items():
        rows = [
            {
                "hearing": hearing,
                "url": hearing_url(hearing),
                "phase": hearing.get_phase_display(),
                "counts": response_counts(hearing, since),
            }
            for hearing in hearings
        ]
        if owner.email and queue(
            Kind.OWNER_DIGEST,
            recipient=owner.email,
            dedupe_key=f"{Kind.OWNER_DIGEST}:{day}:user:{owner.pk}",
            context={"rows": rows, "day": timezone.localdate(now)},
            user=owner,
            site=hearings[0].get_site(),
        ):
            queued += 1
    return queued


@dataclass(frozen=True)
class ResponseCounts:
    new: int = 0
    awaiting_moderation: int = 0
    total: int = 0


def response_counts(hearing, since):
    """The digest's figures for ``hearing``: answers handed in since ``since``, awaiting
    moderation, in all (answers that count: not drafts, not withdrawn)."""
    responses = HearingResponse.objects.filter(hearing=hearing).standing()
    return ResponseCounts(
        new=responses.filter(submitted_at__gte=since).count(),
        awaiting_moderation=responses.awaiting_moderation().count(),
        total=responses.count(),
    )
