"""What moderation adds to responses and hearings: redactions and conclusion notices.

The moderation state itself (sensitive flag, decision, notes, tags) lives on
``HearingResponse``; the choices a hearing makes about publication live on
``HearingPage``. All writes go through ``hearings.moderation`` and
``hearings.conclusion``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishResponses(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_MODERATION = "after_moderation", _("After moderation")


class PublishedRespondentDetails(models.TextChoices):
    """How much of the respondent a published response shows."""

    NONE = "none", _("No name (only what they answered on behalf of)")
    NAME = "name", _("The respondent's name")
    NAME_AND_DEPARTMENT = "name_and_department", _("The respondent's name and department")


class ResponseRedaction(models.Model):
    """Text that replaces one answer in the published version of a response.

    The answer itself stays untouched in the response (and its revisions) for the
    case file; only publication shows ``text``. The newest redaction of a question wins.
    """

    response = models.ForeignKey(
        "hearings.HearingResponse",
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="redactions",
    )
    question_id = models.CharField(_("question id"), max_length=64)
    text = models.TextField(_("published text"), blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("redacted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redacted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["response", "created_at", "pk"]
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")

    def __str__(self):
        return f"{self.response} / {self.question_id}"


class ConclusionNotice(models.Model):
    """Records that the respondents of a hearing were told its conclusion (once)."""

    hearing = models.OneToOneField(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="conclusion_notice",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("conclusion notice")
        verbose_name_plural = _("conclusion notices")

    def __str__(self):
        return str(self.hearing)
