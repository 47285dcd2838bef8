"""Per-site (per-municipality) settings for hearings, edited under Settings in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class ResponsesToExport(models.TextChoices):
    ALL = "all", _("Every response handed in and not withdrawn (the complete case)")
    APPROVED = "approved", _("Published (approved) responses only (an incomplete case)")


@register_setting(icon="cog")
class HearingSettings(BaseSiteSetting):
    export_on_close = models.BooleanField(
        _("export on close"),
        default=True,
        help_text=_(
            "File the hearing and its responses in the ESDH system when the deadline "
            "has passed, and the conclusion when it is written."
        ),
    )
    responses_to_export = models.CharField(
        _("responses to export"),
        max_length=10,
        choices=ResponsesToExport.choices,
        default=ResponsesToExport.ALL,
        help_text=_(
            "Every response handed in is a document of the case (offentlighedsloven § 15), "
            "whatever moderation decides about publishing it."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder before deadline (days)"),
        default=3,
        help_text=_(
            "Remind invited employees who have not answered this many days before the "
            "deadline. 0 turns reminders off."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("export_on_close"), FieldPanel("responses_to_export")],
            heading=_("ESDH"),
        ),
        FieldPanel("reminder_days"),
    ]

    class Meta:
        verbose_name = _("hearing settings")

    @classmethod
    def for_hearing(cls, hearing):
        """The settings of the site a hearing belongs to (defaults if it has none)."""
        site = hearing.get_site()
        return cls.for_site(site) if site else cls()
