"""Wagtail admin screens: the hearing listing, classification snippets, ESDH exports, outbox.

Built on Wagtail's own viewsets (the maintained successor of wagtail-modeladmin).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy, register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hearings import access, notifications
from hearings.admin.library import SiteScopedViewSet, scoped_by
from hearings.exports.service import REQUESTED_ACTION, request_export
from hearings.models import (
    Department,
    HearingExport,
    HearingPage,
    HearingType,
    KLEClassification,
    Notification,
    SubjectArea,
)


class PhaseColumn(Column):
    """The hearing's phase as a status tag, computed like everywhere else."""

    cell_template_name = "hearings/admin/phase_cell.html"

    def get_value(self, instance):
        return instance.get_phase_display()


def relative_time(moment, now=None):
    """How far ``moment`` is from now, either way: "om 3 dage", "2 timer siden"."""
    now = now or timezone.now()
    if moment >= now:
        return gettext("in %(time)s") % {"time": timeuntil(moment, now, depth=1)}
    return gettext("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


class MomentColumn(Column):
    """A date and time as itself, with how far it is from now.

    Wagtail's ``DateColumn`` reads every date as past ("0 minutter siden" for next
    week's deadline); a hearing's opening and deadline are mostly in the future.
    """

    cell_template_name = "hearings/admin/moment_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context["value"]:
            context["relative"] = relative_time(context["value"])
        return context


class HearingListingViewSet(PageListingViewSet):
    model = HearingPage
    icon = "comment"
    menu_label = _("Hearings")
    menu_order = 150
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        """Shown to those the listing lets in (who may add, change or publish pages),
        not to a moderator, whom the listing turns away with "no access"."""
        wanted = self.index_view_class.any_permission_required

        def is_shown(item, request):
            return page_permission_policy.user_has_any_permission(request.user, wanted)

        return type("HearingListingMenuItem", (MenuItem,), {"is_shown": is_shown})

    columns = [
        *PageListingViewSet.columns,
        PhaseColumn("phase", label=_("Phase"), width="10%"),
        MomentColumn("opens_at", label=_("Opens"), sort_key="opens_at", width="14%"),
        MomentColumn("closes_at", label=_("Deadline"), sort_key="closes_at", width="14%"),
    ]


class HearingTypeViewSet(SiteScopedViewSet):
    model = HearingType
    icon = "tag"
    list_display = ["name", "site"]
    search_fields = ["name"]


class SubjectAreaViewSet(SnippetViewSet):
    model = SubjectArea
    icon = "folder-inverse"
    list_display = ["name"]
    search_fields = ["name"]


class DepartmentForm(WagtailAdminModelForm):
    """A department of the person's own municipality, below one of its departments."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        self.fields["site"].queryset = access.visible_sites(self.for_user, Site.objects.all())
        self.fields["parent"].queryset = access.visible_departments(
            self.for_user, self.fields["parent"].queryset
        )

    def clean_site(self):
        site = self.cleaned_data.get("site")
        own = access.visible_sites(self.for_user, Site.objects.all())
        if site is not None and not own.filter(pk=site.pk).exists():
            raise forms.ValidationError(_("You can only keep items for your own municipality."))
        return site


def own_department(user, department):
    return access.visible_departments(user, Department.objects.filter(pk=department.pk)).exists()


class DepartmentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and no department of another municipality, even by its URL."""

    def user_has_permission_for_instance(self, user, action, instance):
        return own_department(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return own_department(user, instance) and (
            super().user_has_any_permission_for_instance(user, actions, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return access.visible_departments(
            user, super().instances_user_has_any_permission_for(user, actions)
        )


register_permission_policy(Department, DepartmentPermissionPolicy(Department))


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "parent", "code", "site"]
    list_filter = ["site"]
    search_fields = ["name"]
    ordering = ["path"]
    edit_view_class = scoped_by(access.visible_departments, snippet_views.EditView)
    delete_view_class = scoped_by(access.visible_departments, snippet_views.DeleteView)
    copy_view_class = scoped_by(access.visible_departments, snippet_views.CopyView)
    usage_view_class = scoped_by(access.visible_departments, snippet_views.UsageView)
    history_view_class = scoped_by(access.visible_departments, snippet_views.HistoryView)
    inspect_view_class = scoped_by(access.visible_departments, snippet_views.InspectView)

    def get_queryset(self, request):
        return access.visible_departments(request.user, Department.objects.all())

    def get_edit_handler(self):
        return ObjectList(Department.panels, base_form_class=DepartmentForm).bind_to_model(
            Department
        )


class KLEViewSet(SnippetViewSet):
    model = KLEClassification
    icon = "list-ol"
    list_display = ["number", "title"]
    search_fields = ["number", "title"]


class ClassificationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Classification")
    menu_icon = "tag"
    menu_order = 160
    items = (HearingTypeViewSet, SubjectAreaViewSet, DepartmentViewSet, KLEViewSet)


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
    def get_base_queryset(self):
        return access.visible_exports(self.request.user, super().get_base_queryset())

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
    exports = access.visible_exports(request.user, HearingExport.objects.all())
    export = get_object_or_404(exports.select_related("hearing"), pk=pk)
    if not access.can_export(request.user, export.hearing):
        raise PermissionDenied
    if request.method == "POST":
        request_export(export.hearing)
        log(export.hearing, REQUESTED_ACTION, user=request.user)
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


def retry_mail_view(request, pk):
    """Confirm, then queue a mail that failed for good again; the worker sends it."""
    if not access.can_see_outbox(request.user):
        raise PermissionDenied
    mails = access.visible_notifications(request.user, Notification.objects.all())
    mail = get_object_or_404(mails, pk=pk, status=Notification.Status.FAILED)
    if request.method == "POST":
        notifications.retry(mail)
        messages.success(
            request,
            _("The e-mail to %(recipient)s is queued again; the worker sends it within a minute.")
            % {"recipient": mail.recipient},
        )
        return redirect("outbox:index")
    return TemplateResponse(request, "hearings/admin/retry_mail.html", {"mail": mail})


class OutboxIndexView(generic.IndexView):
    def get_base_queryset(self):
        return access.visible_notifications(self.request.user, super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        if instance.status != Notification.Status.FAILED:
            return []
        if not access.can_see_outbox(self.request.user):
            return []
        url = reverse("outbox:retry", args=[instance.pk])
        return [ListingButton(_("Send again"), url=url, icon_name="repeat", priority=10)]


class NotificationViewSet(ModelViewSet):
    model = Notification
    icon = "mail"
    menu_label = _("Outbox")
    url_prefix = "outbox"
    name = "outbox"
    index_view_class = OutboxIndexView
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

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("retry/<int:pk>/", retry_mail_view, name="retry"),
        ]


class JobsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Jobs")
    menu_icon = "cogs"
    menu_order = 900
    items = (HearingExportViewSet, NotificationViewSet)
