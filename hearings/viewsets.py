"""Wagtail admin listings for the jobs: ESDH exports (with a retry action) and the outbox."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from hearings import access
from hearings.exports.service import request_export
from hearings.models import HearingExport, Notification


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Listed for those who may view; rows change only through the services."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return any(
            super(ReadOnlyPolicy, self).user_has_permission(user, a) for a in ("view", "change")
        )


register_permission_policy(HearingExport, ReadOnlyPolicy(HearingExport))
register_permission_policy(Notification, ReadOnlyPolicy(Notification))


class ExportIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        if instance.status == HearingExport.Status.RUNNING:
            return []
        if not access.can_export(self.request.user, instance.hearing):
            return []
        url = reverse("hearing_exports:retry", args=[instance.pk])
        label = _("Retry") if instance.status == HearingExport.Status.FAILED else _("Run again")
        return [ListingButton(label, url=url, icon_name="repeat", priority=10)]


def retry_view(request, pk):
    """Confirm, then queue the export again: it files only what is not filed yet."""
    export = get_object_or_404(HearingExport.objects.select_related("hearing"), pk=pk)
    if not access.can_export(request.user, export.hearing):
        raise PermissionDenied
    if request.method == "POST":
        request_export(export.hearing)
        log(export.hearing, "hearings.export_requested", user=request.user)
        messages.success(
            request,
            _("The export of “%(title)s” is queued; the worker runs it within a minute.")
            % {"title": export.hearing.title},
        )
        return redirect("hearing_exports:index")
    return TemplateResponse(request, "hearings/admin/retry_export.html", {"export": export})


class HearingExportViewSet(ModelViewSet):
    model = HearingExport
    icon = "upload"
    menu_label = _("ESDH exports")
    url_prefix = "hearing-exports"
    name = "hearing_exports"
    index_view_class = ExportIndexView
    list_display = [
        "hearing",
        "status",
        "attempts",
        Column("documents_filed", label=_("documents filed")),
        "case_id",
        "last_error",
        "next_attempt_at",
        "finished_at",
    ]
    list_filter = ["status"]
    form_fields = []

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("retry/<int:pk>/", retry_view, name="retry"),
        ]


class NotificationViewSet(ModelViewSet):
    model = Notification
    icon = "mail"
    menu_label = _("Outbox")
    url_prefix = "outbox"
    name = "outbox"
    list_display = [
        "subject",
        "recipient",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject"]
    form_fields = []


class JobsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Jobs")
    menu_icon = "cogs"
    menu_order = 900
    items = (HearingExportViewSet, NotificationViewSet)
