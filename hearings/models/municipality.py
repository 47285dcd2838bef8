"""Per-site identity of a municipality: its name, CVR number, logo, colour and contact.

One installation can serve several municipalities, one Wagtail Site each; everything that
shows a municipality's name or identity (public header and footer, the admin's branding,
e-mails, case files) and everything that needs its CVR number (KOMBIT sign-in) reads it
from here with :meth:`MunicipalitySettings.for_site` or :func:`municipality_of`.
"""

from django.core.cache import cache
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class AccentColour(models.TextChoices):
    """Accent colours from DKFDS's palette that keep WCAG AA contrast with white text."""

    NONE = "", _("DKFDS standard (dark blue)")
    BLUE = "#0059b3", _("Blue")
    GREEN = "#00773d", _("Green")
    RED = "#b51b00", _("Red")
    PURPLE = "#6c2c8a", _("Purple")
    GREY = "#3d3d3d", _("Dark grey")


@register_setting(icon="home")
class MunicipalitySettings(BaseSiteSetting):
    name = models.CharField(
        _("municipality name"),
        max_length=100,
        blank=True,
        help_text=_(
            "Shown in the header, the admin, e-mails and case files. Empty: the site's name."
        ),
    )
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A CVR number is eight digits."))],
        help_text=_("The municipality's CVR number; sign-in through KOMBIT checks it."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="municipality/logo/",
        blank=True,
        validators=[FileExtensionValidator(["svg", "png"])],
        help_text=_("SVG or PNG, shown in the header of every public and admin page."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        choices=AccentColour.choices,
        default=AccentColour.NONE,
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("cvr"),
                FieldPanel("logo"),
                FieldPanel("accent_colour"),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("municipality")

    @property
    def display_name(self):
        return self.name or (self.site.site_name if self.site_id else "") or "Agora"


# Every page shows the municipality's name and logo: they are kept in the cache for a
# minute (in process memory in production), and dropped here when they are saved.
CACHE_SECONDS = 60


def cache_key(site_id):
    return f"agora:municipality:{site_id}"


def municipality_of(site):
    """The municipality settings of ``site``, or unsaved defaults: reading never writes
    a row (``for_site`` would create one, so a first page view would cost more queries)."""
    if site is None:
        return MunicipalitySettings()
    found = cache.get(cache_key(site.pk))
    if found is None:
        found = MunicipalitySettings.objects.filter(site=site).first()
        found = found or MunicipalitySettings(site=site)
        cache.set(cache_key(site.pk), found, CACHE_SECONDS)
    return found


@receiver([post_save, post_delete], sender=MunicipalitySettings)
def forget_municipality(sender, instance, **kwargs):
    cache.delete(cache_key(instance.site_id))
