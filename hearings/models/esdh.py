"""What has been filed in the ESDH system, so that nothing is filed twice.

``FiledDocument`` maps a source item of a hearing (its text, an attachment, a
response, the conclusion) in a given version (the checksum of its source) to the
id the ESDH system gave it. The row is written *before* the adapter is called and
completed after, so an interruption in between is visible and resolved on retry.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HearingExport(models.Model):
    """The export of one hearing to the ESDH system: its state, for people and for jobs."""

    # Records people or jobs write, not content: Wagtail's reference index ("usage")
    # would gain rows on every save and list them as usages of the hearing (#16).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    hearing = models.OneToOneField(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="esdh_export",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    case_id = models.CharField(_("ESDH case"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    case_closed_at = models.DateTimeField(_("case closed"), null=True, blank=True)
    # Asked for while running (e.g. a letter registered mid-run): run again when done, so
    # what arrived during the run is filed too.
    requested_again = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("ESDH export")
        verbose_name_plural = _("ESDH exports")
        ordering = ["-next_attempt_at"]

    def __str__(self):
        return f"{self.hearing} ({self.get_status_display()})"

    @property
    def documents_filed(self):
        return self.hearing.filed_documents.exclude(remote_id="").count()


class FiledDocument(models.Model):
    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="filed_documents",
    )
    source_key = models.CharField(_("source"), max_length=200)
    checksum = models.CharField(_("source checksum"), max_length=64)
    sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    case_id = models.CharField(_("ESDH case"), max_length=255)
    remote_id = models.CharField(
        _("ESDH document id"),
        max_length=255,
        blank=True,
        help_text=_("Empty while the document is being filed."),
    )
    filename = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)

    class Meta:
        verbose_name = _("filed document")
        verbose_name_plural = _("filed documents")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "source_key", "checksum"], name="filed_document_once"
            )
        ]

    def __str__(self):
        return f"{self.filename} → {self.remote_id or '…'}"
