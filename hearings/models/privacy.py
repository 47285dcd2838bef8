"""Per-site data-protection settings: how long responses are kept, and how they go.

Edited under Settings in the admin by whoever may change them; read by
``hearings.retention``. The model also carries the permission to read the audit report
of staff access to personal data (``hearings.admin.audit``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_RETENTION_DAYS = 730


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("Delete the responses and their attachments")
    ANONYMISE = (
        "anonymise",
        _("Anonymise: keep the choices made, delete names, texts and attachments"),
    )


@register_setting(icon="lock")
class PrivacySettings(BaseSiteSetting):
    retention_days = models.PositiveIntegerField(
        _("keep responses (days)"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_(
            "How long responses and their attachments are kept after the hearing is "
            "concluded and its case file is confirmed filed in the ESDH system. A hearing "
            "that is not filed is never cleared."
        ),
    )
    retention_action = models.CharField(
        _("when the time is up"),
        max_length=10,
        choices=RetentionAction.choices,
        default=RetentionAction.DELETE,
    )

    panels = [FieldPanel("retention_days"), FieldPanel("retention_action")]

    class Meta:
        verbose_name = _("data protection")
        permissions = [
            ("view_personal_data_audit", _("Can read the audit of access to personal data")),
        ]

    @classmethod
    def for_hearing(cls, hearing):
        site = hearing.get_site()
        return cls.for_site(site) if site else cls()
