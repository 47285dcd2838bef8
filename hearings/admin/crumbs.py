"""The breadcrumbs of the screens about one hearing's responses."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


def responses_crumbs(hearing, title, between=()):
    """Breadcrumbs: the responses listing, ``hearing``'s overview, ``between``
    ([(url, label)]), then this screen's ``title``.

    Wagtail shows the last crumb as the screen's visible title; without these the
    title would read "Forside" (the home crumb) whatever the screen shows.
    """
    items = [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": reverse("hearing_responses:index"), "label": _("Responses")},
    ]
    overview = reverse("hearing_responses:hearing", args=[hearing.pk])
    crumbs = [(overview, hearing.title), *between]
    items += [{"url": url, "label": label} for url, label in crumbs]
    items.append({"url": "", "label": title})
    return items
