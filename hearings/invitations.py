"""Who is invited to a hearing, and the invitation and reminder mails to them.

Invited are the employees of the invited departments (``access.audience_members``)
and the contact persons of the invited hearing parties: users, and bare e-mail
addresses for people without an account. Each person gets one invitation when the
hearing opens, whatever the number of parties and departments they are invited
through: the outbox's dedupe key names the person (``user:<id>`` or ``email:<address>``),
and an address that belongs to a user invited by name is not written to again.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from hearings import access, notifications, rates
from hearings.errors import Refused
from hearings.models import ManualReminder
from hearings.phases import Phase, phase_of


@dataclass
class Invitee:
    email: str
    user: object = None
    parties: list = field(default_factory=list)

    @property
    def key(self):
        return f"user:{self.user.pk}" if self.user is not None else f"email:{self.email}"


def invitees(hearing, parties=None, people=None):
    """Everyone invited to ``hearing``, once each, with the parties they are invited
    for. ``parties`` (default: all invited) and ``people`` (default: all employees of
    the invited departments) narrow it, e.g. to those who have not answered."""
    if parties is None:
        parties = list(hearing.invited_parties.prefetch_related("contact_users"))
    if people is None:
        people = access.audience_members(hearing)
    by_key = {}
    for user in people:
        if user.email:
            invitee = Invitee(email=user.email.lower(), user=user)
            by_key[invitee.key] = invitee
    for party in parties:
        for user in party.contact_users.all():
            if not user.is_active or not user.email:
                continue
            invitee = by_key.setdefault(
                f"user:{user.pk}", Invitee(email=user.email.lower(), user=user)
            )
            if party not in invitee.parties:
                invitee.parties.append(party)
    # An address that is a user's is that user: one mail, never one per spelling.
    addresses = {address for party in parties for address in party.emails}
    known = {}
    if addresses:
        match = Q()
        for address in addresses:
            match |= Q(email__iexact=address)
        for user in get_user_model().objects.filter(match, is_active=True):
            known.setdefault(user.email.lower(), user)
    for party in parties:
        for address in party.emails:
            user = known.get(address)
            key = f"user:{user.pk}" if user is not None else f"email:{address}"
            invitee = by_key.setdefault(key, Invitee(email=address, user=user))
            if party not in invitee.parties:
                invitee.parties.append(party)
    return list(by_key.values())


def _queue(kind, hearing, people, key, extra=None):
    url = notifications.hearing_url(hearing)
    queued = 0
    for invitee in people:
        if notifications.queue(
            kind,
            recipient=invitee.email,
            dedupe_key=f"{key}:{invitee.key}",
            context={"url": url, "parties": invitee.parties, **(extra or {})},
            hearing=hearing,
            user=invitee.user,
        ):
            queued += 1
    return queued


def invite(hearing):
    """Queue the invitation to everyone invited to ``hearing``; returns how many new."""
    kind = notifications.Kind.HEARING_OPENED
    return _queue(kind, hearing, invitees(hearing), f"{kind}:{hearing.pk}")


def remind(hearing, key_suffix=""):
    """Queue a reminder to everyone invited who has not answered; returns how many new.

    A party counts as answered once any response stands for it; its contacts are then
    not reminded for it (they still are as employees, if they have not answered)."""
    status = rates.response_rates(hearing)
    kind = notifications.Kind.DEADLINE_REMINDER
    people = invitees(
        hearing,
        parties=[row.party for row in status.parties if not row.answered],
        people=access.audience_members(hearing).exclude(pk__in=status.answered_user_ids),
    )
    return _queue(kind, hearing, people, f"{kind}:{hearing.pk}{key_suffix}")


REMIND = "agora.hearing.remind"


def send_reminder_now(user, hearing, now=None):
    """Staff's "send reminder now": remind everyone invited who has not answered.

    Once per hearing and day (``ManualReminder``'s constraint decides under
    concurrency), only while the hearing is open, and logged in the audit trail.
    Returns the ``ManualReminder``; raises ``Refused`` otherwise.
    """
    if not access.can_see_response_rates(user, hearing):
        raise Refused(_("You do not handle this hearing's responses."), Refused.FORBIDDEN)
    now = now or timezone.now()
    if phase_of(hearing, now) != Phase.OPEN:
        raise Refused(_("Reminders can only be sent while the hearing is open."))
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            record = ManualReminder.objects.create(
                hearing=hearing, day=day, sent_by=user, sent_at=now
            )
            record.recipients = remind(hearing, key_suffix=f":manual:{day.isoformat()}")
            record.save(update_fields=["recipients"])
            log(
                hearing,
                REMIND,
                user=user,
                data={"day": day.isoformat(), "recipients": record.recipients},
            )
    except IntegrityError:
        raise Refused(
            _("A reminder was already sent today. You can send the next one tomorrow.")
        ) from None
    return record
