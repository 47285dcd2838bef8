"""What a hearing's phase change entails, done once: the jobs' side of ``hearings.phases``.

When a hearing opens, everyone invited (departments' employees, hearing parties'
contacts) is told (``hearings.invitations``); some days before the deadline, those who
have not answered are reminded; when it closes, its owner is told and the ESDH export
is requested. Each is recorded as a ``SideEffectRecord`` in the same transaction as the
work it entails (queueing mails, requesting the export), under a row lock on the hearing
taken with SKIP LOCKED: a second worker skips the hearing, and the unique (hearing,
kind) constraint refuses a second record should it get there anyway. The mails
themselves are deduplicated again by the outbox.
"""

import logging

from django.db import IntegrityError, transaction

from hearings import invitations, notifications
from hearings.exports.service import request_export
from hearings.models import HearingPage, HearingSettings, SideEffectRecord
from hearings.phases import ENDED, Phase, phase_filter, phase_of, phases_filter, reminder_due

logger = logging.getLogger(__name__)

Kind = SideEffectRecord.Kind


def perform_once(hearing_id, kind, action, now):
    """Run ``action(hearing)`` and record ``kind`` for the hearing, unless it is recorded
    or another worker is on it. Returns what ``action`` returned, or None if skipped."""
    with transaction.atomic():
        hearing = (
            HearingPage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=hearing_id)
            .first()
        )
        if hearing is None or hearing.side_effects.filter(kind=kind).exists():
            return None
        try:
            with transaction.atomic():
                SideEffectRecord.objects.create(hearing=hearing, kind=kind, done_at=now)
        except IntegrityError:
            return None
        return action(hearing)


def perform_safely(hearing_id, kind, action, now):
    """``perform_once``, but a failure is logged and left for the next run instead of
    stopping the transitions of every other hearing."""
    try:
        return perform_once(hearing_id, kind, action, now)
    except Exception:
        logger.exception("Transition %s of hearing %s failed; retried next run", kind, hearing_id)
        return None


def not_done(queryset, kind):
    return queryset.exclude(side_effects__kind=kind)


def open_hearings(now):
    """Tell the invited audience of each hearing that has opened. Returns
    [(hearing, mails queued)]."""

    def notify(hearing):
        return invitations.invite(hearing)

    due = not_done(HearingPage.objects.filter(phase_filter(Phase.OPEN, now)), Kind.OPENED)
    done = []
    for hearing_id in due.values_list("pk", flat=True):
        queued = perform_safely(hearing_id, Kind.OPENED, notify, now)
        if queued is not None:
            done.append((HearingPage.objects.get(pk=hearing_id), queued))
    return done


def remind_audiences(now):
    """Remind invited employees who have not answered, once per hearing and person.
    Returns [(hearing, mails queued)]."""

    def remind(hearing):
        return invitations.remind(hearing)

    candidates = not_done(
        HearingPage.objects.filter(phase_filter(Phase.OPEN, now)), Kind.REMINDED
    ).order_by("closes_at")
    done = []
    for hearing in candidates:
        days = HearingSettings.for_hearing(hearing).reminder_days
        if not reminder_due(hearing, days, now):
            continue
        queued = perform_safely(hearing.pk, Kind.REMINDED, remind, now)
        if queued is not None:
            done.append((hearing, queued))
    return done


def close_hearings(now):
    """For each hearing whose deadline has passed: tell its owner (unless it is already
    concluded) and request the ESDH export if the site exports on close.
    Returns [(hearing, {"owner_notified": …, "export_requested": …})]."""

    def close(hearing):
        export = HearingSettings.for_hearing(hearing).export_on_close
        if export:
            request_export(hearing, now)
        owner = hearing.hearing_owner
        notified = None
        if owner and owner.email and phase_of(hearing, now) == Phase.CLOSED:
            notified = notifications.queue(
                notifications.Kind.HEARING_CLOSED,
                recipient=owner.email,
                dedupe_key=f"{notifications.Kind.HEARING_CLOSED}:{hearing.pk}:user:{owner.pk}",
                context={
                    "export_started": export,
                    "edit_url": notifications.admin_url("wagtailadmin_pages:edit", hearing.pk),
                },
                hearing=hearing,
                user=owner,
            )
        return {"owner_notified": notified is not None, "export_requested": export}

    due = not_done(HearingPage.objects.filter(phases_filter(ENDED, now)), Kind.CLOSED)
    done = []
    for hearing_id in due.values_list("pk", flat=True):
        outcome = perform_safely(hearing_id, Kind.CLOSED, close, now)
        if outcome is not None:
            done.append((HearingPage.objects.get(pk=hearing_id), outcome))
    return done
