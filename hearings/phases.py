"""The phases of a hearing: pure rules of the clock and the page's dates.

A phase is computed from the clock and the page's published state every time it is
asked for; nothing stores it, so it is never stale. Datetimes are stored as aware UTC
instants, which keeps comparisons exact across daylight-saving changes. This module
imports nothing of the app: what a job does when a phase begins (notify, export) lives
with the jobs, in ``hearings.jobs.transitions``.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CONCLUDED = "concluded", _("Concluded")


ENDED = (Phase.CLOSED, Phase.CONCLUDED)


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


def phases_filter(phases, now=None):
    """A ``Q`` matching any of ``phases`` at ``now``."""
    now = now or timezone.now()
    combined = models.Q(pk__in=[])
    for phase in phases:
        combined |= phase_filter(phase, now)
    return combined


def time_left(hearing, now=None):
    """Time until the deadline, or None when there is none or it has passed."""
    now = now or timezone.now()
    if hearing.closes_at and now < hearing.closes_at:
        return hearing.closes_at - now
    return None


def reminder_due(hearing, days, now):
    """A reminder is due ``days`` before the deadline, if that moment is after opening."""
    if not days or not hearing.closes_at:
        return False
    remind_at = hearing.closes_at - timedelta(days=days)
    return remind_at <= now and (hearing.opens_at is None or remind_at > hearing.opens_at)
