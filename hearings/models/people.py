"""What Agora knows about a user beyond Django's user: their department."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Site


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


def permission_site_ids(path, roots):
    """The ids of the sites (``roots``: {site id: root page path}) that a page
    permission on the page at ``path`` reaches: the site holding that page, or every
    site below it."""
    return {
        site_id
        for site_id, root in roots.items()
        if path.startswith(root) or root.startswith(path)
    }


def people_q(site_id):
    """A Q for the users who belong to the municipality of ``site_id``: its employees (a
    department of its own) and its staff (a group bound to it, or with page permissions
    reaching it, as ``hearings.sites.staff_site_ids`` counts them); None while the
    installation has one site, where everybody does."""
    roots = dict(Site.objects.values_list("pk", "root_page__path"))
    if len(roots) <= 1:
        return None
    groups = set(GroupSite.objects.filter(site_id=site_id).values_list("group_id", flat=True))
    for group_id, path in GroupPagePermission.objects.values_list("group_id", "page__path"):
        if site_id in permission_site_ids(path, roots):
            groups.add(group_id)
    return Q(employee_profile__department__site_id=site_id) | Q(groups__in=groups)
