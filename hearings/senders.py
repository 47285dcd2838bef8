"""Who a response is from, as the case file, the exports and the admin show it.

A response given in Agora is from its respondent (their name and department); one
received by e-mail or letter is from the sender that staff typed in when registering it
(``hearings.registering``). Both read the same here, so every export agrees.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from hearings import access


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
    department = access.user_department(user)
    return Sender(
        user.get_full_name() or user.get_username(),
        department.name if department else "",
        response.on_behalf_of_display(),
    )


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
        "when": when.strftime("%Y-%m-%d %H:%M") if when else "",
    }
