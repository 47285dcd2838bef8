"""Telling respondents what came of a hearing ("you said, we did").

The phase becomes ``concluded`` when a published revision has a conclusion and the
deadline has passed (``hearings.phases``). When that first happens, every
respondent whose answer still stands is told, once: a ``ConclusionNotice`` row
records it, under a lock, so a second publication (or a repeated job) sends nothing.
"""

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from hearings import moderation
from hearings.models import ConclusionNotice, HearingPage, HearingResponse
from hearings.phases import Phase, phase_of


def notify_respondents(hearing):
    """Send the conclusion to the respondents of ``hearing`` if not done yet.

    Returns the number of respondents notified, or None when nothing was due.
    """
    with transaction.atomic():
        hearing = HearingPage.objects.select_for_update().get(pk=hearing.pk)
        if phase_of(hearing) != Phase.CONCLUDED:
            return None
        if ConclusionNotice.objects.filter(hearing=hearing).exists():
            return None
        notice = ConclusionNotice.objects.create(hearing=hearing)
        responses = (
            HearingResponse.objects.filter(hearing=hearing)
            .standing()
            .select_related("respondent", "hearing")
            .order_by("sequence")
        )
        text = normalize_newlines(strip_tags(hearing.conclusion)).strip()
        sent = 0
        for response in responses:
            subject = _("What came of the hearing %(title)s") % {"title": hearing.title}
            if moderation.notify_respondent(
                response,
                subject,
                "hearings/moderation/conclusion_email.txt",
                {"conclusion_text": text},
            ):
                sent += 1
        notice.recipients = sent
        notice.save(update_fields=["recipients"])
        log(hearing, moderation.CONCLUSION_NOTICE, data={"recipients": sent})
    return sent


def on_page_published(sender, instance, **kwargs):
    """Wagtail's ``page_published`` signal: the workflow (or a schedule) published a page."""
    if isinstance(instance, HearingPage) and instance.conclusion:
        notify_respondents(instance)
