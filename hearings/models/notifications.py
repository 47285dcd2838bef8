"""The notification outbox: every e-mail Agora sends is a row here first.

Rows are rendered when queued, so a template change never alters a mail already
promised. ``dedupe_key`` is unique: queueing the same notification twice is a no-op.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    # Records people or jobs write, not content: Wagtail's reference index ("usage")
    # would gain rows on every save and list them as usages of the hearing (#16).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        HEARING_OPENED = "hearing_opened", _("Hearing opened")
        DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")
        HEARING_CLOSED = "hearing_closed", _("Hearing closed")
        OWNER_DIGEST = "owner_digest", _("Daily digest for owners")
        EXPORT_FAILED = "export_failed", _("ESDH export failed")
        RESPONSE_RECEIPT = "response_receipt", _("Response receipt")
        RESPONDENT_NOTICE = "respondent_notice", _("Notice to a respondent")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"), blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
