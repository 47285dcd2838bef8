"""The shared library's scoping: an item is shared (no site) or kept to one municipality.

Staff see the shared items and their own municipality's items; a superuser sees all.
A person's municipality is the site of their department (``EmployeeProfile``).
"""

from django.db.models import Q


def site_id_of(user):
    """The id of the site the user's department belongs to, or None."""
    profile = getattr(user, "employee_profile", None)
    department = getattr(profile, "department", None)
    return department.site_id if department else None


def visible_to(queryset, user):
    """The library items of ``queryset`` the user may list and choose."""
    if getattr(user, "is_superuser", False):
        return queryset
    site_id = site_id_of(user)
    if site_id is None:
        return queryset.filter(site__isnull=True)
    return queryset.filter(Q(site__isnull=True) | Q(site_id=site_id))


def is_visible(item, user):
    """May the user see ``item`` (shared, their municipality's, or they are a superuser)?"""
    if getattr(user, "is_superuser", False) or item.site_id is None:
        return True
    return item.site_id == site_id_of(user)


def for_site(queryset, site):
    """The items a hearing of ``site`` may use: shared ones and the site's own."""
    if site is None:
        return queryset
    return queryset.filter(Q(site__isnull=True) | Q(site=site))
