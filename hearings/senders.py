"""Who a response is from, as the case file, the exports and the admin show it.

A response given in Agora is from its respondent (their name and department); one
received by e-mail or letter is from the sender that staff typed in when registering it
(``hearings.registering``). Both read the same here, so every export agrees.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# What ``sender_of`` and ``registration_note`` read: select them with the responses.
SENDER_RELATIONS = ("respondent__employee_profile__department", "registered_by")


@dataclass(frozen=True)
class Sender:
    name: str
    department: str  # the respondent's department, or the sender's organisation
    on_behalf_of: str


def sender_of(response):
    user = response.respondent
    if response.is_registered_by_staff or user is None:
        return Sender(
            response.sender_name, response.sender_organisation, response.on_behalf_of_display()
        )
    return Sender(
        user.get_full_name() or user.get_username(),
        department_name(user),
        response.on_behalf_of_display(),
    )


def department_name(user):
    """The user's department; no query when the response was read with
    ``select_related(*SENDER_RELATIONS)``."""
    try:
        profile = user.employee_profile
    except ObjectDoesNotExist:
        return ""
    return profile.department.name if profile.department else ""


def registration_note(response):
    """ "Letter, registered by Mona Hansen 2. december 2026 10:15", or "" for an answer
    given in Agora."""
    if not response.is_registered_by_staff:
        return ""
    staff = response.registered_by
    who = (staff.get_full_name() or staff.get_username()) if staff else "–"
    when = timezone.localtime(response.registered_at) if response.registered_at else None
    return _("%(channel)s, registered by %(who)s %(when)s") % {
        "channel": response.get_channel_display(),
        "who": who,
        "when": date_format(when, "DATETIME_FORMAT") if when else "",
    }
