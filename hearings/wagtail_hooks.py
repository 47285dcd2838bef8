"""Wagtail admin hooks of the hearings app."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from hearings.viewsets import (
    ClassificationViewSetGroup,
    HearingListingViewSet,
    JobsViewSetGroup,
)

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


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsViewSetGroup()


@hooks.register("register_log_actions")
def register_export_log_actions(actions):
    actions.register_action(
        "hearings.export_requested",
        gettext_lazy("Request ESDH export"),
        gettext_lazy("ESDH export requested"),
    )
