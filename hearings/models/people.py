"""What Agora knows about a user beyond Django's user: their department."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployeeProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employee_profile",
    )
    department = models.ForeignKey(
        "hearings.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )

    class Meta:
        verbose_name = _("employee profile")
        verbose_name_plural = _("employee profiles")

    def __str__(self):
        return str(self.user)


class GroupSite(models.Model):
    """Ties a staff group to one municipality (a Wagtail Site): its members handle only
    that site's hearings and responses. A group without a site is scoped by its page
    permissions (see ``hearings.sites.staff_site_ids``)."""

    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="agora_site",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality site"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("group's municipality")
        verbose_name_plural = _("groups' municipalities")

    def __str__(self):
        return f"{self.group} – {self.site}"
