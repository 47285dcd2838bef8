"""Panels on the Wagtail dashboard: my hearings, and responses awaiting moderation."""

from django.db.models import Count, Q
from wagtail.admin.ui.components import Component

from hearings import access
from hearings.models import HearingPage, HearingResponse, ResponseStatus


class MyHearingsPanel(Component):
    """Hearings the user owns: phase, number of responses, deadline."""

    name = "agora_my_hearings"
    order = 60
    template_name = "hearings/admin/dashboard/my_hearings.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        hearings = (
            HearingPage.objects.filter(hearing_owner=user)
            .annotate(
                response_count=Count(
                    "responses", filter=HearingResponse.objects.standing_q("responses__")
                )
            )
            .order_by("-closes_at")[:20]
        )
        return {"hearings": hearings, "can_moderate": access.can_moderate_any(user)}


class AwaitingModerationPanel(Component):
    """Hearings with submitted responses nobody has moderated yet."""

    name = "agora_awaiting_moderation"
    order = 55
    template_name = "hearings/admin/dashboard/awaiting_moderation.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        hearings = (
            access.moderated_hearings(user)
            .annotate(
                waiting=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
                flagged=Count(
                    "responses",
                    filter=Q(
                        responses__status=ResponseStatus.SUBMITTED, responses__sensitive=True
                    ),
                ),
            )
            .filter(waiting__gt=0)
            .order_by("closes_at")
        )
        return {"hearings": hearings}
