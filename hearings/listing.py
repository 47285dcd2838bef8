"""Hearing listings: the index's filters, "my hearings" and "my answers"."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings import access
from hearings.models import Audience, Department, HearingPage, HearingResponse, SubjectArea
from hearings.phases import Phase, phase_filter, phases_filter


def order_open_first(hearings, now=None):
    """Open hearings first by nearest deadline, then upcoming ones, then the rest newest first."""
    now = now or timezone.now()
    rank = Case(
        When(phase_filter(Phase.OPEN, now), then=Value(0)),
        When(phase_filter(Phase.UPCOMING, now), then=Value(1)),
        default=Value(2),
    )
    return hearings.annotate(phase_rank=rank).order_by(
        "phase_rank",
        Case(When(phase_rank__lt=2, then=F("closes_at"))).asc(nulls_last=True),
        "-closes_at",
    )


class HearingFilter(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("All phases"))] + [(p.value, p.label) for p in Phase if p != Phase.DRAFT],
    )
    subject_area = forms.ModelChoiceField(
        label=_("Subject area"),
        required=False,
        queryset=SubjectArea.objects.all(),
        empty_label=_("All subject areas"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )

    def __init__(self, data=None, site=None):
        super().__init__(data or None)
        departments = Department.objects.all()
        if site is not None:
            departments = departments.filter(site=site)
        self.fields["department"].queryset = departments

    def apply(self, hearings):
        """Filter and order ``hearings``: open ones first, nearest deadline first."""
        if self.is_valid():
            data = self.cleaned_data
            if data.get("phase"):
                hearings = hearings.filter(phase_filter(data["phase"]))
            if data.get("subject_area"):
                hearings = hearings.filter(subject_area=data["subject_area"])
            if data.get("department"):
                hearings = hearings.filter(invited_departments=data["department"]).distinct()
        return order_open_first(hearings.select_related("subject_area", "hearing_type"))

    def query_string(self):
        """The active filters, for pagination links."""
        if not self.is_valid():
            return ""
        params = {k: (v.pk if hasattr(v, "pk") else v) for k, v in self.cleaned_data.items() if v}
        return urlencode(params)


# "Mine høringer" on the home page shows at most this many, nearest deadline first, and
# links to the index for the rest: the page stays the same size whatever is open.
MY_HEARINGS_SHOWN = 10


def my_hearings(user, now=None, site=None):
    """Hearings that invite ``user`` and still take (or will take) answers; with
    ``site``, only that municipality's."""
    if not user.is_authenticated:
        return HearingPage.objects.none()
    now = now or timezone.now()
    ids = access.audience_department_ids(user)
    invited = HearingPage.objects.live().filter(
        Q(invited_departments__in=ids) | Q(audience=Audience.PUBLIC)
    )
    current = phases_filter([Phase.OPEN, Phase.UPCOMING], now)
    hearings = HearingPage.objects.filter(pk__in=invited.values("pk")).filter(current)
    if site is not None:
        hearings = hearings.filter(path__startswith=site.root_page.path)
    return order_open_first(hearings.select_related("subject_area"), now)


def responses_of(user):
    """The user's responses, newest first ("my answers", the API's list)."""
    if not user.is_authenticated:
        return HearingResponse.objects.none()
    return (
        HearingResponse.objects.filter(respondent=user)
        .select_related("hearing")
        .order_by("-updated_at")
    )


def my_responses(user):
    """The user's answers for "my hearings": each with its links and whether it may change."""
    rows = []
    for response in responses_of(user):
        can_change = access.can_change_response(user, response)
        rows.append(
            {
                "response": response,
                "hearing": response.hearing,
                "receipt_url": None if response.is_draft else response.page_path("receipt"),
                "amend_url": response.page_path("amend") if can_change else None,
                "withdraw_url": response.page_path("withdraw") if can_change else None,
            }
        )
    return rows
