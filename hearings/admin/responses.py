"""Responses in the Wagtail admin: listing, inspection, moderation, exports, report.

Built on Wagtail's ``ModelViewSet``; every view asks ``hearings.access`` whether the
user handles the hearing, and every decision goes through ``hearings.moderation``.
The views are thin: they read the request, call a service and answer.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView, InspectView, history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy

from hearings import access, analysis, audit, listing, moderation, rates, reports
from hearings.admin.analysis import MemoDownloadView, SeedMemoView, ThemesView
from hearings.admin.crumbs import responses_crumbs
from hearings.admin.parties import NotAnsweredView, SendReminderView
from hearings.admin.registering import RegisterResponseView
from hearings.answers import ordered_question_ids
from hearings.errors import Refused
from hearings.exports import pdf, tabular
from hearings.models import (
    Department,
    HearingPage,
    HearingParty,
    HearingResponse,
    HearingTheme,
    ResponseStatus,
)
from hearings.senders import registration_note, sender_of

STAFF_ACTIONS = {"view", "change"}


class ResponsePermissionPolicy(BasePermissionPolicy):
    """Responses can be read and moderated, never added or deleted in the admin."""

    def user_has_permission(self, user, action):
        return action in STAFF_ACTIONS and access.can_moderate_any(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in STAFF_ACTIONS and access.can_moderate(user, instance.hearing)

    def instances_user_has_any_permission_for(self, user, actions):
        if STAFF_ACTIONS & set(actions):
            return access.moderated_responses(user)
        return HearingResponse.objects.none()

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


# The listing's hearing filter offers the hearings with the latest deadlines, not one
# option per hearing ever held; any other is reached from its overview, whose link
# filters the listing by it (and that choice is kept).
HEARING_FILTER_CHOICES = 30


def _hearings_of(request):
    if request is None:
        return HearingPage.objects.none()
    hearings = access.moderated_hearings(request.user)
    recent = list(
        hearings.order_by(F("closes_at").desc(nulls_last=True)).values_list("pk", flat=True)[
            :HEARING_FILTER_CHOICES
        ]
    )
    chosen = request.GET.get("hearing", "")
    if chosen.isdigit() and int(chosen) <= 2**63 - 1:
        recent.append(int(chosen))
    return hearings.filter(pk__in=recent).order_by(F("closes_at").desc(nulls_last=True))


def _themes_of(request):
    if request is None:
        return HearingTheme.objects.none()
    return HearingTheme.objects.filter(
        hearing__in=access.moderated_hearings(request.user).values("pk")
    ).select_related("hearing")


class ResponseFilterSet(WagtailFilterSet):
    hearing = django_filters.ModelChoiceFilter(queryset=_hearings_of, label=_("Hearing"))
    status = django_filters.ChoiceFilter(
        choices=[c for c in ResponseStatus.choices if c[0] != ResponseStatus.DRAFT],
        label=_("Status"),
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        field_name="respondent__employee_profile__department",
        label=_("Department"),
    )
    sensitive = django_filters.BooleanFilter(label=_("Flagged as sensitive"))
    has_attachments = django_filters.BooleanFilter(
        label=_("Has attachments"), method="filter_has_attachments"
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=_themes_of, label=_("Theme"), method="filter_theme"
    )
    tag = django_filters.CharFilter(label=_("Free tag"), method="filter_tag", max_length=100)
    party = django_filters.ModelChoiceFilter(
        queryset=HearingParty.objects.all(), label=_("Hearing party")
    )

    class Meta:
        model = HearingResponse
        fields = []

    def filter_has_attachments(self, queryset, name, value):
        with_files = HearingResponse.objects.filter(
            attachments__removed_at__isnull=True, attachments__isnull=False
        ).values("pk")
        return queryset.filter(pk__in=with_files) if value else queryset.exclude(pk__in=with_files)

    def filter_theme(self, queryset, name, value):
        return analysis.filter_by_theme(queryset, theme=value)

    def filter_tag(self, queryset, name, value):
        return analysis.filter_by_theme(queryset, tag=value.strip())


def _responses_of(request):
    return (
        access.moderated_responses(request.user)
        .select_related("hearing", "respondent__employee_profile__department")
        .prefetch_related("themes", "answer_themes__theme")
    )


class HearingColumn(Column):
    """The hearing, linked to its overview (counts, report, downloads)."""

    cell_template_name = "hearings/admin/link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("hearing_responses:hearing", args=[instance.hearing_id])
        return context


class RespondentColumn(Column):
    """Who the response is from: the respondent, or the sender of a registered letter."""

    def get_value(self, instance):
        return sender_of(instance).name


class DepartmentColumn(Column):
    def get_value(self, instance):
        return sender_of(instance).department


class SensitiveColumn(Column):
    """A flag where there is one; nothing where there is none (not a red cross)."""

    cell_template_name = "hearings/admin/sensitive_cell.html"


class ResponseIndexView(IndexView):
    def get_base_queryset(self):
        return _responses_of(self.request)

    def get_paginator(self, queryset, per_page, **kwargs):
        # Counting every response the person moderates grows with the responses (#16):
        # the count is kept a while per person and filter (hearings.listing.kept_count).
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        key = f"admin-responses:{self.request.user.pk}?{params.urlencode()}"
        paginator.count = listing.kept_count(key, queryset.count)
        return paginator

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    def get_edit_url(self, instance):
        # The reference links to the full response, not to the notes form.
        return self.get_inspect_url(instance)

    def _get_title_column(self, field_name, *args, **kwargs):
        # The reference on one line (it broke at its hyphens: "H-2026-/0008-/0003").
        return super()._get_title_column(field_name, *args, classname="agora-nowrap", **kwargs)


def _response_for(request, pk):
    """The response ``pk``; 404 if there is none, 403 if the user does not handle it."""
    response = get_object_or_404(
        HearingResponse.objects.handed_in().select_related("hearing", "respondent"),
        pk=pk,
    )
    if not access.can_moderate(request.user, response.hearing):
        raise PermissionDenied
    return response


def _hearing_for(request, pk):
    hearing = get_object_or_404(HearingPage, pk=pk)
    if not access.can_moderate(request.user, hearing):
        raise PermissionDenied
    return hearing


class ResponseInspectView(InspectView):
    template_name = "hearings/admin/responses/inspect.html"

    def get_object(self, queryset=None):
        return _response_for(self.request, self.pk)

    def get(self, request, *args, **kwargs):
        moderation.log_staff_view(request.user, self.object)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.object
        redactions = {r.question_id: r for r in response.redactions.all()}
        context.update(
            response=response,
            hearing=response.hearing,
            answers=[
                (response.answers[qid], redactions.get(qid))
                for qid in ordered_question_ids(response.hearing, response.answers)
            ],
            attachments=response.current_attachments(),
            revisions=response.revisions.all(),
            redactions=response.redactions.select_related("created_by"),
            can_approve=response.can_be_approved,
            can_reject=response.can_be_rejected,
            overview_url=reverse("hearing_responses:hearing", args=[response.hearing_id]),
            registration=registration_note(response),
        )
        return context


class ModeratedResponsesMixin:
    """Wagtail's history and usage views look responses up here: others are 404."""

    def get_base_object_queryset(self):
        return access.moderated_responses(self.request.user)


class ResponseHistoryView(ModeratedResponsesMixin, history.HistoryView):
    pass


class ResponseUsageView(ModeratedResponsesMixin, usage.UsageView):
    pass


class ResponseEditView(EditView):
    """Staff-only analysis: notes, themes, free tags and the administration's comment
    (Wagtail logs the edit)."""

    def get_object(self, queryset=None):
        return _response_for(self.request, self.kwargs[self.pk_url_kwarg])

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "themes" in form.fields:
            form.fields["themes"].queryset = analysis.themes_of(self.object.hearing)
        return form


# Moderation actions ------------------------------------------------------------


class ApproveView(View):
    def post(self, request, pk):
        response = _response_for(request, pk)
        try:
            moderation.approve(request.user, response)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Response %(reference)s approved.") % {"reference": response.reference}
            )
        return redirect("hearing_responses:inspect", pk)


class FlagView(View):
    def post(self, request, pk):
        response = _response_for(request, pk)
        moderation.set_sensitive(request.user, response, request.POST.get("sensitive") == "1")
        return redirect("hearing_responses:inspect", pk)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class RedactForm(ReasonForm):
    question_id = forms.ChoiceField(label=_("Answer"))
    text = forms.CharField(
        label=_("Text to publish instead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The original answer is kept for the case file."),
    )

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_id"].choices = [
            (qid, response.answers[qid].get("label", qid))
            for qid in moderation.publishable_question_ids(response.hearing, response)
        ]
        self.order_fields(["question_id", "text", "reason"])


class ResponseFormView(WagtailAdminTemplateMixin, TemplateView):
    """Reject or redact: a small form about one response."""

    template_name = "hearings/admin/responses/action_form.html"
    header_icon = "comment"

    def dispatch(self, request, pk):
        self.response = _response_for(request, pk)
        return super().dispatch(request, pk)

    def make_form(self, data=None):
        raise NotImplementedError

    def act(self, form):
        raise NotImplementedError

    def get_page_subtitle(self):
        return self.response.reference

    def get_breadcrumbs_items(self):
        inspect = reverse("hearing_responses:inspect", args=[self.response.pk])
        return responses_crumbs(
            self.response.hearing,
            self.get_header_title(),
            [(inspect, self.response.reference)],
        )

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.act(form)
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("hearing_responses:inspect", pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            response=self.response,
            submit_label=self.submit_label,
            cancel_url=reverse("hearing_responses:inspect", args=[self.response.pk]),
        )
        return context


class RejectView(ResponseFormView):
    page_title = _("Reject response")
    submit_label = _("Reject and tell the respondent")

    def make_form(self, data=None):
        return ReasonForm(data)

    def act(self, form):
        moderation.reject(self.request.user, self.response, form.cleaned_data["reason"])
        messages.success(self.request, _("The response was rejected."))


class RedactView(ResponseFormView):
    page_title = _("Redact response for publication")
    submit_label = _("Save redaction")

    def make_form(self, data=None):
        initial = {}
        question_id = self.request.GET.get("question")
        if question_id in self.response.answers:
            answer = self.response.answers[question_id]
            initial = {"question_id": question_id, "text": answer.get("display") or ""}
        if data is None:  # the form shows the answer as it was given
            audit.log_response_read(self.request.user, self.response, audit.REDACTION_FORM)
        return RedactForm(data, initial=initial, response=self.response)

    def act(self, form):
        data = form.cleaned_data
        moderation.redact(
            self.request.user, self.response, data["question_id"], data["text"], data["reason"]
        )
        messages.success(self.request, _("The redaction was saved."))


class ThemeChoices(forms.ModelMultipleChoiceField):
    """Theme ids only: anything not a plausible id is refused before the database sees
    it (a huge number would overflow SQLite's integer)."""

    def _check_values(self, value):
        for item in value:
            if not (str(item).isdigit() and len(str(item)) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:20]},
                )
        return super()._check_values(value)


class AnswerThemesForm(forms.Form):
    """One set of theme boxes per written answer of the response."""

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, **kwargs)
        themes = analysis.themes_of(response.hearing)
        tagged = {}
        for row in response.answer_themes.all():
            tagged.setdefault(row.question_id, []).append(row.theme_id)
        self.questions = {}
        ids = ordered_question_ids(response.hearing, response.answers)
        written = dict(analysis.text_answers(response))
        for number, question_id in enumerate(q for q in ids if q in written):
            name = f"answer_{number}"
            self.questions[name] = question_id
            self.fields[name] = ThemeChoices(
                queryset=themes,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=str(written[question_id].get("label") or question_id)[:200],
                help_text=analysis.answer_quote(response, question_id, length=160),
                initial=tagged.get(question_id, []),
            )


class AnswerThemesView(ResponseFormView):
    """Staff mark single answers of a response with the hearing's themes."""

    page_title = _("Themes per answer")
    submit_label = _("Save themes")

    def make_form(self, data=None):
        if data is None:  # the form quotes the answers
            moderation.log_staff_view(self.request.user, self.response)
        return AnswerThemesForm(data, response=self.response)

    def act(self, form):
        for name, question_id in form.questions.items():
            analysis.set_answer_themes(self.response, question_id, form.cleaned_data[name])
        log(self.response, "wagtail.edit", user=self.request.user)
        messages.success(self.request, _("The themes of the answers were saved."))


# One hearing: overview, bulk approval, exports, report -----------------------


class HearingView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "comment"

    def dispatch(self, request, hearing_pk, **kwargs):
        self.hearing = _hearing_for(request, hearing_pk)
        return super().dispatch(request, hearing_pk, **kwargs)

    def get_page_subtitle(self):
        return self.hearing.title

    def get_breadcrumbs_items(self):
        return responses_crumbs(self.hearing, self.get_header_title())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hearing"] = self.hearing
        return context


class HearingOverviewView(HearingView):
    page_title = _("Responses")
    template_name = "hearings/admin/responses/hearing.html"

    def get_breadcrumbs_items(self):
        items = responses_crumbs(self.hearing, self.get_header_title())
        del items[-2]  # this screen is the hearing's overview
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        responses = HearingResponse.objects.filter(hearing=self.hearing).handed_in()
        counts = {status: 0 for status, __ in ResponseStatus.choices}
        for status in responses.values_list("status", flat=True):
            counts[status] += 1
        listing = reverse("hearing_responses:index") + f"?hearing={self.hearing.pk}"
        context.update(
            counts=[
                (label, counts[value], f"{listing}&status={value}")
                for value, label in ResponseStatus.choices
                if value != ResponseStatus.DRAFT
            ],
            sensitive=responses.filter(sensitive=True).count(),
            listing_url=listing,
            can_edit_hearing=self.hearing.permissions_for_user(self.request.user).can_edit(),
        )
        if access.can_see_response_rates(self.request.user, self.hearing):
            context["rates"] = rates.response_rates(self.hearing)
        return context


class BulkApproveView(HearingView):
    page_title = _("Approve responses")
    template_name = "hearings/admin/responses/bulk_approve.html"

    def candidates(self):
        return (
            HearingResponse.objects.filter(hearing=self.hearing, sensitive=False)
            .awaiting_moderation()
            .select_related("respondent")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["candidates"] = self.candidates()
        context["flagged"] = (
            HearingResponse.objects.filter(hearing=self.hearing, sensitive=True)
            .awaiting_moderation()
            .count()
        )
        return context

    def post(self, request, hearing_pk):
        ids = [int(v) for v in request.POST.getlist("response") if v.isdigit()]
        approved = moderation.bulk_approve(request.user, self.candidates().filter(pk__in=ids))
        messages.success(
            request,
            _("%(count)d responses approved.") % {"count": len(approved)},
        )
        return redirect("hearing_responses:hearing", hearing_pk)


EXPORT_KINDS = ("csv", "xlsx", "pdf")


def export_filename(hearing, kind):
    """``ny-ferieplanlægning-8.xlsx``: the hearing's own letters, æ, ø and å included
    (sent as RFC 5987 ``filename*``, with an ASCII ``filename`` beside it)."""
    return f"{slugify(hearing.title, allow_unicode=True) or 'hearing'}-{hearing.pk}.{kind}"


def theme_selection(request, hearing):
    """``{"theme": …, "tag": …}`` from the query (``?theme=<id>&tag=<name>``): an
    export of the responses with that theme of the hearing and/or that free tag."""
    raw = request.GET.get("theme", "")
    theme = None
    if raw.isdigit() and len(raw) < 10:
        theme = analysis.themes_of(hearing).filter(pk=int(raw)).first()
        if theme is None:
            raise Http404
    tag = request.GET.get("tag", "").strip()[:100] or None
    return {"theme": theme, "tag": tag}


class ExportView(View):
    """The responses as a download; every format is an attachment, never shown inline."""

    def get(self, request, hearing_pk, kind):
        if kind not in EXPORT_KINDS:
            raise Http404
        hearing = _hearing_for(request, hearing_pk)
        only = theme_selection(request, hearing)
        count = tabular.export_responses(hearing, **only).count()
        moderation.log_export(request.user, hearing, kind, count)
        filename = export_filename(hearing, kind)
        if kind == "csv":
            answer = StreamingHttpResponse(
                tabular.csv_chunks(hearing, **only), content_type="text/csv; charset=utf-8"
            )
            answer["Content-Disposition"] = content_disposition_header(True, filename)
        elif kind == "xlsx":
            answer = FileResponse(
                tabular.xlsx_file(hearing, **only),
                as_attachment=True,
                filename=filename,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            # A file object, not an iterator: FileResponse sets the headers from it.
            answer = FileResponse(
                pdf.responses_pdf_file(hearing, **only),
                as_attachment=True,
                filename=filename,
                content_type="application/pdf",
            )
        answer["Cache-Control"] = "private, no-store"
        return answer


class ReportView(HearingView):
    page_title = _("Summary of responses")
    template_name = "hearings/admin/responses/report.html"

    def get_template_names(self):
        if self.request.GET.get("print"):
            return ["hearings/admin/responses/report_print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = reports.summary(self.hearing)
        if access.can_see_response_rates(self.request.user, self.hearing):
            context["rates"] = rates.response_rates(self.hearing)
        context["themes"] = analysis.theme_summaries(self.hearing)
        return context


# The viewset -------------------------------------------------------------------


class HearingResponseViewSet(ModelViewSet):
    model = HearingResponse
    icon = "comment"
    menu_label = _("Responses")
    menu_order = 155
    add_to_admin_menu = True
    index_view_class = ResponseIndexView
    inspect_view_class = ResponseInspectView
    edit_view_class = ResponseEditView
    history_view_class = ResponseHistoryView
    usage_view_class = ResponseUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ResponseFilterSet
    search_fields = ["reference", "on_behalf_of_name", "respondent__first_name", "answers"]
    search_backend_name = None
    list_display = [
        "reference",
        HearingColumn("hearing", label=_("Hearing")),
        RespondentColumn("respondent", label=_("Respondent")),
        DepartmentColumn("department", label=_("Department")),
        Column("get_status_display", label=_("Status")),
        Column("on_behalf_of_display", label=_("On behalf of")),
        Column("theme_names", label=_("Themes")),
        SensitiveColumn("sensitive", label=_("Sensitive")),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]
    ordering = ["-submitted_at"]
    panels = [
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("administration_comment"),
        FieldPanel("staff_notes"),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("approve/<int:pk>/", ApproveView.as_view(), name="approve"),
            path("reject/<int:pk>/", RejectView.as_view(), name="reject"),
            path("redact/<int:pk>/", RedactView.as_view(), name="redact"),
            path("flag/<int:pk>/", FlagView.as_view(), name="flag"),
            path("answer-themes/<int:pk>/", AnswerThemesView.as_view(), name="answer_themes"),
            path("hearing/<int:hearing_pk>/", HearingOverviewView.as_view(), name="hearing"),
            path(
                "hearing/<int:hearing_pk>/approve/",
                BulkApproveView.as_view(),
                name="bulk_approve",
            ),
            path(
                "hearing/<int:hearing_pk>/export.<str:kind>",
                ExportView.as_view(),
                name="export",
            ),
            path("hearing/<int:hearing_pk>/report/", ReportView.as_view(), name="report"),
            path(
                "hearing/<int:hearing_pk>/register/",
                RegisterResponseView.as_view(),
                name="register",
            ),
            path(
                "hearing/<int:hearing_pk>/not-answered/",
                NotAnsweredView.as_view(),
                name="not_answered",
            ),
            path("hearing/<int:hearing_pk>/remind/", SendReminderView.as_view(), name="remind"),
            path("hearing/<int:hearing_pk>/themes/", ThemesView.as_view(), name="themes"),
            path(
                "hearing/<int:hearing_pk>/themes/<int:theme_pk>/",
                ThemesView.as_view(),
                name="theme_edit",
            ),
            path(
                "hearing/<int:hearing_pk>/memo.<str:kind>",
                MemoDownloadView.as_view(),
                name="memo",
            ),
            path("hearing/<int:hearing_pk>/memo/seed/", SeedMemoView.as_view(), name="seed_memo"),
        ]


response_viewset = HearingResponseViewSet("hearing_responses", url_prefix="responses")
