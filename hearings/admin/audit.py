"""The report *Access to personal data*: every audited read, export, retention and
erasure (``hearings.audit``), filtered by hearing, person, action and date, exported as
CSV or XLSX by Wagtail's ``ReportView``.

It combines Wagtail's two log models (page entries for hearings, model entries for
responses and people) the way Wagtail's own *Site history* report does. Only those
``access.can_audit`` allows may read it.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import IntegerField, Q, Value
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import MultipleUserFilter, UserModelMultipleChoiceField
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from hearings import access, audit
from hearings.models import HearingPage, HearingResponse

LOG_MODELS = [PageLogEntry, ModelLogEntry]
# The largest id an integer primary key holds: a larger number is no id, and reaching
# the database with it would fail there instead of in the form.
MAX_ID = 2**31 - 1


def check_ids(values):
    for value in values:
        if not str(value).isdigit() or int(value) > MAX_ID:
            raise ValidationError(_("“%(value)s” is not an id."), params={"value": value})


class CheckedUserField(UserModelMultipleChoiceField):
    def _check_values(self, value):
        check_ids(value)
        return super()._check_values(value)


class CheckedModelChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            check_ids([value])
        return super().to_python(value)


def audited(queryset):
    prefixes = Q()
    for prefix in audit.AUDITED_PREFIXES:
        prefixes |= Q(action__startswith=prefix)
    return queryset.filter(prefixes)


def in_scope(queryset, user):
    """The entries of ``queryset`` (page or model log entries) about ``user``'s
    municipalities (``access.audit_scope``): its hearings, their responses, its people."""
    if user is None:
        return queryset.none()
    scope = access.audit_scope(user)
    if scope is None:
        return queryset
    hearing_ids, people = scope
    if queryset.model is PageLogEntry:
        return queryset.filter(page_id__in=hearing_ids)
    responses = HearingResponse.objects.filter(hearing_id__in=hearing_ids)
    return queryset.filter(
        Q(data__hearing__in=hearing_ids)
        | Q(
            content_type__app_label="hearings",
            content_type__model="hearingresponse",
            object_id__in=[str(pk) for pk in responses.values_list("pk", flat=True)],
        )
        | Q(data__subject__in=people)
    )


def audited_actions():
    return [
        (action, label)
        for action, label in log_action_registry.get_choices()
        if action.startswith(audit.AUDITED_PREFIXES)
    ]


class CheckedUserFilter(MultipleUserFilter):
    field_class = CheckedUserField


class CheckedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CheckedModelChoiceField


class AuditFilterSet(HistoryFilterSet):
    hearing = CheckedModelChoiceFilter(
        label=_("Hearing"),
        queryset=HearingPage.objects.order_by("title"),
        method="filter_hearing",
    )
    user = CheckedUserFilter(label=_("User"), widget=CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            # Only the user's own municipalities' hearings to choose from.
            self.filters["hearing"].queryset = access.staff_hearings(
                self.request.user, HearingPage.objects.order_by("title")
            )

    def get_action_choices(self):
        return audited_actions()

    def get_users_queryset(self):
        user_ids = set()
        for model in LOG_MODELS:
            user_ids.update(
                in_scope(audited(model.objects.all()), getattr(self.request, "user", None))
                .exclude(user_id=None)
                .values_list("user_id", flat=True)
                .distinct()
            )
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    def filter_hearing(self, queryset, name, hearing):
        if hearing is None:
            return queryset
        if queryset.model is PageLogEntry:
            return queryset.filter(page_id=hearing.pk)
        # Entries about a response carry the hearing; older ones are found by the
        # response (the response is still there, or it would not lack the hearing).
        responses = HearingResponse.objects.filter(hearing_id=hearing.pk).values_list(
            "pk", flat=True
        )
        return queryset.filter(
            Q(data__hearing=hearing.pk)
            | Q(
                content_type__app_label="hearings",
                content_type__model="hearingresponse",
                object_id__in=[str(pk) for pk in responses],
            )
        )

    class Meta:
        model = ModelLogEntry
        fields = []


class AuditReportView(LogEntriesView):
    page_title = _("Access to personal data")
    header_icon = "lock"
    filterset_class = AuditFilterSet
    index_url_name = "agora_audit_report"
    index_results_url_name = "agora_audit_report_results"
    export_headings = {
        **LogEntriesView.export_headings,
        "hearing_id": _("Hearing ID"),
        "action_code": _("Action code"),
        "data": _("Details"),
    }
    list_export = [*LogEntriesView.list_export, "hearing_id", "action_code", "data"]

    def dispatch(self, request, *args, **kwargs):
        if not access.can_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "agora-audit-" + super().get_filename().removeprefix("audit-log-")

    def get_filtered_queryset(self):
        # As Wagtail's site history, over our own actions, without its per-type
        # permission filter (the whole report is for those who may audit).
        self.log_models = LOG_MODELS
        queryset = None
        for index, model in enumerate(self.log_models):
            sub_queryset = self.filter_queryset(
                in_scope(audited(model.objects.all()), self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp", "-pk")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            entry.action_code = entry.action
            entry.hearing_id = getattr(entry, "page_id", None) or (entry.data or {}).get("hearing")
        return entries
