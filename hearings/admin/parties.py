"""Admin screens of hearing parties and response rates: who has and has not answered a
hearing, "send reminder now", and the dashboard panel of open hearings' rates.

Thin views: ``hearings.rates`` counts, ``hearings.invitations`` reminds, and
``hearings.access`` says who may (staff who handle the hearing's responses).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hearings import access, invitations, rates
from hearings.errors import Refused
from hearings.models import HearingPage, HearingResponse
from hearings.phases import Phase, phase_filter

RATES_SHOWN = 10


def hearing_crumbs(hearing, title):
    """Responses › the hearing's overview › ``title``."""
    return [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": reverse("hearing_responses:index"), "label": _("Responses")},
        {"url": reverse("hearing_responses:hearing", args=[hearing.pk]), "label": hearing.title},
        {"url": "", "label": title},
    ]


class NotAnsweredView(WagtailAdminTemplateMixin, TemplateView):
    """The people and parties invited to a hearing who have not answered (staff only)."""

    page_title = _("Who has not answered")
    header_icon = "group"
    template_name = "hearings/admin/responses/not_answered.html"

    def dispatch(self, request, hearing_pk, **kwargs):
        self.hearing = get_object_or_404(HearingPage, pk=hearing_pk)
        if not access.can_see_response_rates(request.user, self.hearing):
            raise PermissionDenied
        return super().dispatch(request, hearing_pk, **kwargs)

    def get_page_subtitle(self):
        return self.hearing.title

    def get_breadcrumbs_items(self):
        return hearing_crumbs(self.hearing, self.get_header_title())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hearing"] = self.hearing
        context["rates"] = rates.response_rates(self.hearing)
        context["reminders"] = self.hearing.manual_reminders.select_related("sent_by")[:10]
        context["reminded_today"] = self.hearing.manual_reminders.filter(
            day=timezone.localdate()
        ).exists()
        context["is_open"] = self.hearing.phase == Phase.OPEN
        return context


class SendReminderView(View):
    """POST: "send reminder now" (once a day per hearing, logged)."""

    def post(self, request, hearing_pk):
        hearing = get_object_or_404(HearingPage, pk=hearing_pk)
        if not access.can_see_response_rates(request.user, hearing):
            raise PermissionDenied
        try:
            record = invitations.send_reminder_now(request.user, hearing)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("A reminder was queued to %(count)d people who have not answered.")
                % {"count": record.recipients},
            )
        return redirect("hearing_responses:not_answered", hearing_pk)


def _count(queryset, group):
    """A subquery counting ``queryset``'s rows per ``group`` (for an annotation)."""
    counted = queryset.values(group).annotate(count=Count("pk", distinct=True)).values("count")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


class ResponseRatesPanel(Component):
    """Dashboard: each open hearing the user handles with its hearing parties that have
    answered (of those invited) and its answers (of the invited employees), linked to
    who has not answered. A fixed number of queries, whatever the number of hearings."""

    name = "agora_response_rates"
    order = 52
    template_name = "hearings/admin/dashboard/response_rates.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        invited = HearingPage.invited_parties.through.objects.filter(hearingpage=OuterRef("pk"))
        standing = HearingResponse.objects.standing().filter(hearing=OuterRef("pk"))
        hearings = list(
            access.moderated_hearings(user)
            .filter(phase_filter(Phase.OPEN, timezone.now()))
            .annotate(
                parties_invited=_count(invited, "hearingpage"),
                parties_answered=Coalesce(
                    Subquery(
                        standing.filter(party__isnull=False)
                        .values("hearing")
                        .annotate(count=Count("party", distinct=True))
                        .values("count")[:1],
                        output_field=IntegerField(),
                    ),
                    0,
                ),
                answers=_count(standing, "hearing"),
            )
            .order_by("closes_at")[:RATES_SHOWN]
        )
        sizes = access.audience_sizes(hearings)
        for hearing in hearings:
            hearing.invited = sizes.get(hearing.pk)
            hearing.rate = rates.percent(hearing.answers, hearing.invited or 0)
        return {"hearings": hearings}
