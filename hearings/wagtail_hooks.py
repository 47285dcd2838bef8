"""Wagtail admin hooks of the hearings app."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from hearings.viewsets import ClassificationViewSetGroup, HearingListingViewSet

register_snippet(ClassificationViewSetGroup)


@hooks.register("register_admin_viewset")
def register_hearing_listing():
    return HearingListingViewSet("hearing_listing")


@hooks.register("before_delete_page")
def keep_hearings_with_responses(request, page):
    """A hearing with responses cannot be deleted: the answers must not be lost."""
    from hearings.models import HearingPage, HearingResponse

    if (
        isinstance(page.specific, HearingPage)
        and HearingResponse.objects.filter(hearing_id=page.pk).exists()
    ):
        messages.error(
            request,
            _("“%(title)s” has responses and cannot be deleted. Unpublish it instead.")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
