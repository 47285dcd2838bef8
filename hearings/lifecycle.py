"""The phases of a hearing and the rules that move it between them.

A phase is computed from the clock and the page's published state every time it
is asked for; nothing stores it, so it is never stale. Datetimes are stored as
aware UTC instants, which keeps comparisons exact across daylight-saving changes.
Background jobs only perform the side effects of a transition (notify, export).
"""

import logging
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CONCLUDED = "concluded", _("Concluded")


def phase_of(hearing, now=None):
    """The phase of ``hearing`` at ``now`` (default: this instant).

    Opening is inclusive and the deadline exclusive: at ``opens_at`` the hearing
    is open, at ``closes_at`` it is closed.
    """
    now = now or timezone.now()
    if not hearing.live:
        return Phase.DRAFT
    if hearing.opens_at and now < hearing.opens_at:
        return Phase.UPCOMING
    if hearing.closes_at is None or now < hearing.closes_at:
        return Phase.OPEN
    if has_conclusion(hearing):
        return Phase.CONCLUDED
    return Phase.CLOSED


def has_conclusion(hearing):
    # HearingPage.clean() stores an empty editor paragraph as "", so a plain
    # truth test here agrees with the database filter below.
    return bool(hearing.conclusion)


def phase_filter(phase, now=None):
    """A ``Q`` for HearingPage querysets that matches exactly ``phase_of`` = ``phase``."""
    now = now or timezone.now()
    no_conclusion = models.Q(conclusion="") | models.Q(conclusion__isnull=True)
    if phase == Phase.DRAFT:
        return models.Q(live=False)
    live = models.Q(live=True)
    if phase == Phase.UPCOMING:
        return live & models.Q(opens_at__gt=now)
    if phase == Phase.OPEN:
        return (
            live
            & (models.Q(opens_at__lte=now) | models.Q(opens_at__isnull=True))
            & (models.Q(closes_at__gt=now) | models.Q(closes_at__isnull=True))
        )
    if phase == Phase.CLOSED:
        return live & models.Q(closes_at__lte=now) & no_conclusion
    if phase == Phase.CONCLUDED:
        return live & models.Q(closes_at__lte=now) & ~no_conclusion
    raise ValueError(f"Unknown phase: {phase}")


def time_left(hearing, now=None):
    """Time until the deadline, or None when there is none or it has passed."""
    now = now or timezone.now()
    if hearing.closes_at and now < hearing.closes_at:
        return hearing.closes_at - now
    return None


# Side effects of transitions. Each is recorded as a HearingTransition in the same
# transaction as the work it entails (queueing mails, requesting the export), under a
# row lock on the hearing taken with SKIP LOCKED: a second worker skips the hearing,
# and the unique (hearing, kind) constraint refuses a second record should it get
# there anyway. The mails themselves are deduplicated again by the outbox.


def perform_once(hearing_id, kind, action, now):
    """Run ``action(hearing)`` and record ``kind`` for the hearing, unless it is recorded
    or another worker is on it. Returns what ``action`` returned, or None if skipped."""
    from django.db import IntegrityError, transaction

    from hearings.models import HearingPage, HearingTransition

    with transaction.atomic():
        hearing = (
            HearingPage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=hearing_id)
            .first()
        )
        if hearing is None or hearing.transitions.filter(kind=kind).exists():
            return None
        try:
            with transaction.atomic():
                HearingTransition.objects.create(hearing=hearing, kind=kind, done_at=now)
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


def without_transition(queryset, kind):
    return queryset.exclude(transitions__kind=kind)


def open_hearings(now):
    """Tell the invited audience of each hearing that has opened. Returns
    [(hearing, mails queued)]."""
    from hearings import access, notifications
    from hearings.models import HearingPage, HearingTransition

    def notify(hearing):
        return notifications.queue_for_users(
            notifications.Kind.HEARING_OPENED,
            access.audience_members(hearing),
            key=f"{notifications.Kind.HEARING_OPENED}:{hearing.pk}",
            context={"url": notifications.hearing_url(hearing)},
            hearing=hearing,
        )

    kind = HearingTransition.Kind.OPENED
    due = without_transition(HearingPage.objects.filter(phase_filter(Phase.OPEN, now)), kind)
    done = []
    for hearing_id in due.values_list("pk", flat=True):
        queued = perform_safely(hearing_id, kind, notify, now)
        if queued is not None:
            done.append((HearingPage.objects.get(pk=hearing_id), queued))
    return done


def reminder_due(hearing, days, now):
    """A reminder is due ``days`` before the deadline, if that moment is after opening."""
    if not days or not hearing.closes_at:
        return False
    remind_at = hearing.closes_at - timedelta(days=days)
    return remind_at <= now and (hearing.opens_at is None or remind_at > hearing.opens_at)


def remind_audiences(now):
    """Remind invited employees who have not answered, once per hearing and person.
    Returns [(hearing, mails queued)]."""
    from hearings import access, notifications, response_data
    from hearings.models import HearingPage, HearingSettings, HearingTransition

    def remind(hearing):
        answered = response_data.respondent_ids(hearing)
        return notifications.queue_for_users(
            notifications.Kind.DEADLINE_REMINDER,
            access.audience_members(hearing).exclude(pk__in=answered),
            key=f"{notifications.Kind.DEADLINE_REMINDER}:{hearing.pk}",
            context={"url": notifications.hearing_url(hearing)},
            hearing=hearing,
        )

    kind = HearingTransition.Kind.REMINDED
    candidates = without_transition(
        HearingPage.objects.filter(phase_filter(Phase.OPEN, now)), kind
    ).order_by("closes_at")
    done = []
    for hearing in candidates:
        days = HearingSettings.for_hearing(hearing).reminder_days
        if not reminder_due(hearing, days, now):
            continue
        queued = perform_safely(hearing.pk, kind, remind, now)
        if queued is not None:
            done.append((hearing, queued))
    return done


def close_hearings(now):
    """For each hearing whose deadline has passed: tell its owner (unless it is already
    concluded) and request the ESDH export if the site exports on close.
    Returns [(hearing, {"owner_notified": …, "export_requested": …})]."""
    from hearings import notifications
    from hearings.exports.service import request_export
    from hearings.models import HearingPage, HearingSettings, HearingTransition

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

    kind = HearingTransition.Kind.CLOSED
    ended = phase_filter(Phase.CLOSED, now) | phase_filter(Phase.CONCLUDED, now)
    due = without_transition(HearingPage.objects.filter(ended), kind)
    done = []
    for hearing_id in due.values_list("pk", flat=True):
        outcome = perform_safely(hearing_id, kind, close, now)
        if outcome is not None:
            done.append((HearingPage.objects.get(pk=hearing_id), outcome))
    return done
