"""Panels on the Wagtail dashboard, for the communications team.

* **Hearings by phase**: every hearing the user works on (may edit or moderate), grouped
  by phase, with its deadline, responses against the number of invited employees
  (response rate) and responses awaiting moderation.
* **Responses awaiting moderation**, for those who moderate.
* **Exports and e-mail**: the state of the ESDH exports and of the e-mail outbox,
  failed items first, each with its way to try again.

Every panel costs a fixed number of queries, whatever the number of hearings: counts are
annotations, audiences are counted by ``access.audience_sizes`` in bulk.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from hearings import access
from hearings.models import (
    HearingExport,
    HearingPage,
    HearingResponse,
    Notification,
    ResponseStatus,
)
from hearings.phases import Phase, phase_of

# Concluded hearings are history: the dashboard shows the latest few.
CONCLUDED_SHOWN = 5
FAILED_SHOWN = 10


def dashboard_hearings(user):
    """The hearings ``user`` works on: those they may edit, and those they moderate."""
    editable = PagePermissionPolicy().explorable_instances(user)
    return HearingPage.objects.filter(
        Q(pk__in=editable.values("pk")) | Q(pk__in=access.moderated_hearings(user).values("pk"))
    )


def in_review():
    """Annotation: is the hearing's approval workflow in progress?"""
    return Exists(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
    )


class HearingsByPhasePanel(Component):
    """Hearings grouped by phase: deadline, response rate, responses awaiting moderation."""

    name = "agora_hearings_by_phase"
    order = 50
    template_name = "hearings/admin/dashboard/hearings_by_phase.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        hearings = list(
            dashboard_hearings(user)
            .annotate(
                responses_count=Count(
                    "responses",
                    filter=HearingResponse.objects.standing_q("responses__"),
                ),
                awaiting=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
                in_review=in_review(),
            )
            .order_by("closes_at", "pk")
        )
        sizes = access.audience_sizes(hearings)
        now = timezone.now()
        groups = {phase: [] for phase in Phase}
        for hearing in hearings:
            hearing.invited = sizes.get(hearing.pk)
            hearing.rate = (
                round(100 * hearing.responses_count / hearing.invited) if hearing.invited else None
            )
            hearing.can_moderate = access.can_moderate(user, hearing)
            groups[phase_of(hearing, now)].append(hearing)
        groups[Phase.CONCLUDED] = groups[Phase.CONCLUDED][-CONCLUDED_SHOWN:][::-1]
        return {
            "phases": [(phase, phase.label, groups[phase]) for phase in Phase],
            "any": bool(hearings),
        }


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


def status_counts(queryset, choices):
    counts = dict(queryset.values_list("status").annotate(count=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in choices]


class OperationsPanel(Component):
    """ESDH exports and the e-mail outbox: how many in each state, failed ones first."""

    name = "agora_operations"
    order = 65
    template_name = "hearings/admin/dashboard/operations.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        Failed = HearingExport.Status.FAILED
        exports = HearingExport.objects.filter(hearing__in=dashboard_hearings(user).values("pk"))
        failed_exports = list(
            exports.filter(status=Failed)
            .select_related("hearing")
            .order_by("-next_attempt_at")[:FAILED_SHOWN]
        )
        for export in failed_exports:
            export.can_retry = access.can_export(user, export.hearing)
        context = {
            "export_counts": status_counts(exports, HearingExport.Status.choices),
            "failed_exports": failed_exports,
            "can_see_outbox": access.can_see_outbox(user),
        }
        if context["can_see_outbox"]:
            outbox = access.visible_notifications(user, Notification.objects.all())
            context["outbox_counts"] = status_counts(outbox, Notification.Status.choices)
            context["failed_mails"] = list(
                outbox.filter(status=Notification.Status.FAILED).order_by("-created_at")[
                    :FAILED_SHOWN
                ]
            )
        return context
