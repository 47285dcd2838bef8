"""Per-site (per-municipality) settings for hearings, edited under Settings in the admin.

Each municipality may file in its own ESDH system: ``esdh_backend`` names the adapter
(empty: the installation's ``AGORA_ESDH_BACKEND``) and ``esdh_configuration`` holds its
settings without secrets. A secret is named by the environment variable that holds it,
under the setting's name plus ``_env``: ``{"url": "https://sbsip.nabo.dk/api/",
"client_id": "agora", "client_secret_env": "NABO_SBSYS_SECRET"}``. See docs/sites.md.
"""

import os
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from hearings.text import is_valid_text

ENV_SUFFIX = "_env"
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")
MAX_SETTINGS = 50
MAX_LENGTH = 2000
SECRET_WORDS = {"secret", "password", "passphrase", "token", "key", "apikey"}


class ESDHBackend(models.TextChoices):
    DEFAULT = "", _("The installation's default (AGORA_ESDH_BACKEND)")
    FILESYSTEM = "filesystem", _("Archive folder (file system)")
    GETORGANIZED = "getorganized", _("GetOrganized")
    SBSYS = "sbsys", _("SBSYS")


def configuration_errors(configuration):
    """What is wrong with an ESDH configuration, as messages (empty: nothing)."""
    if not isinstance(configuration, dict):
        return [_("The configuration is a JSON object of settings and their values.")]
    if len(configuration) > MAX_SETTINGS:
        return [_("At most %(count)s settings.") % {"count": MAX_SETTINGS}]
    errors = []
    for key, value in configuration.items():
        texts = [key, value] if isinstance(value, str) else [key]
        if any(len(text) > MAX_LENGTH or not is_valid_text(text) for text in texts):
            errors.append(
                _("“%(key)s”: a text of at most 2,000 characters, without control characters.")
                % {"key": key[:50]}
            )
        elif key.endswith(ENV_SUFFIX):
            if not isinstance(value, str) or not ENV_NAME.match(value):
                errors.append(
                    _("“%(key)s” names an environment variable: capital letters, digits, _.")
                    % {"key": key}
                )
        elif key.lower().rsplit("_", 1)[-1] in SECRET_WORDS:
            errors.append(
                _(
                    "“%(key)s” looks like a secret: keep it in an environment variable and "
                    "name that variable under “%(key)s_env”."
                )
                % {"key": key}
            )
        elif not isinstance(value, str | int | float | bool):
            errors.append(_("“%(key)s” must be a text, number or true/false.") % {"key": key})
    return errors


def resolve_configuration(configuration, environ=None):
    """The adapter's settings: ``configuration`` with each ``<name>_env`` replaced by
    ``<name>`` holding that environment variable's value. A variable that is not set is
    an ``ImproperlyConfigured`` naming it (never a value)."""
    environ = os.environ if environ is None else environ
    resolved = {}
    for key, value in (configuration or {}).items():
        if key.endswith(ENV_SUFFIX):
            if value not in environ:
                raise ImproperlyConfigured(
                    f"The ESDH configuration names the environment variable {value} "
                    f"for {key.removesuffix(ENV_SUFFIX)}, and it is not set."
                )
            resolved[key.removesuffix(ENV_SUFFIX)] = environ[value]
        else:
            resolved[key] = value
    return resolved


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
    esdh_backend = models.CharField(
        _("ESDH system"),
        max_length=30,
        blank=True,
        choices=ESDHBackend.choices,
        default=ESDHBackend.DEFAULT,
        help_text=_("Where this municipality's hearings are filed."),
    )
    esdh_configuration = models.JSONField(
        _("ESDH configuration"),
        default=dict,
        blank=True,
        help_text=_(
            'The ESDH system\'s settings for this municipality, e.g. {"url": '
            '"https://sbsip.example.dk/api/", "client_id": "agora", '
            '"client_secret_env": "NABO_SBSYS_SECRET"}. Never a secret: name the '
            "environment variable that holds it, with the setting's name plus _env. "
            "A setting left out is the installation's."
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
            [
                FieldPanel("export_on_close"),
                FieldPanel("responses_to_export"),
                FieldPanel("esdh_backend"),
                FieldPanel("esdh_configuration"),
            ],
            heading=_("ESDH"),
        ),
        FieldPanel("reminder_days"),
    ]

    class Meta:
        verbose_name = _("hearing settings")

    def clean(self):
        super().clean()
        errors = configuration_errors(self.esdh_configuration)
        if errors:
            raise ValidationError({"esdh_configuration": errors})

    @property
    def esdh_adapter_name(self):
        return self.esdh_backend or settings.AGORA_ESDH_BACKEND

    def esdh_adapter_config(self, environ=None):
        """The adapter's settings for this municipality, secrets read from the
        environment; None when it has none (the installation's settings apply)."""
        return resolve_configuration(self.esdh_configuration, environ) or None

    @classmethod
    def for_hearing(cls, hearing):
        """The settings of the site a hearing belongs to (defaults if it has none)."""
        site = hearing.get_site()
        return cls.for_site(site) if site else cls()
