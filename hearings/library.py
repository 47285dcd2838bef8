"""The shared library's scoping: an item is shared (no site) or kept to one municipality.

A hearing of a site may use the shared items and the site's own (``for_site``). Which
items a person may list, choose, keep for which site or share is decided in
``hearings.access`` (``visible_library_items``, ``library_site_refusal``).
"""

from django.db.models import Q


def for_site(queryset, site):
    """The items a hearing of ``site`` may use: shared ones and the site's own."""
    if site is None:
        return queryset
    return queryset.filter(Q(site__isnull=True) | Q(site=site))
