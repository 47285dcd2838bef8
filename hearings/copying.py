"""Copy a hearing as a new hearing: its text and questions, nothing of its life.

A copy is a draft beside the original, titled "Copy of …", with a free slug and no
dates, schedule, conclusion or ESDH case (``HearingPage.exclude_fields_in_copy``), and
new question ids (``HearingPage.copy``). Responses, their attachments and moderation,
ESDH export records, filed documents, notifications and side-effect records (opened,
reminded, closed) belong to the original by plain foreign keys and are never copied.
Revisions are not copied either: the copy's history starts with the copy.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug

from hearings import access
from hearings.errors import Refused

COPY_ACTION = "wagtail.copy"


def copy_as_new_hearing(hearing, user):
    """A new draft hearing from ``hearing``, made by ``user``; refused without the
    permission to add a hearing beside it."""
    if not access.can_copy_hearing(user, hearing):
        raise Refused(_("You may not add a hearing here."), Refused.FORBIDDEN)
    parent = hearing.get_parent()
    title = _("Copy of %(title)s") % {"title": hearing.title}
    slug = find_available_slug(parent, slugify(title, allow_unicode=True)[:240] or "hearing")
    page_copy = hearing.copy(
        to=parent,
        update_attrs={"title": title, "draft_title": title, "slug": slug},
        copy_revisions=False,
        keep_live=False,
        user=user,
        log_action=COPY_ACTION,
    )
    return page_copy.specific
