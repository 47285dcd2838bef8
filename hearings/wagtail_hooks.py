"""The hearings app's Wagtail hooks, all in one place: who may see a hearing when it is
served, the admin's viewsets and buttons, dashboard panels, deletion guard, audit log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from hearings import access, audit, gdpr, invitations, moderation, registering
from hearings.admin import bundles as bundle_views
from hearings.admin import page_types
from hearings.admin.analysis import SEED_MEMO
from hearings.admin.audit import AuditReportView
from hearings.admin.copying import copy_hearing
from hearings.admin.dashboard import (
    AwaitingModerationPanel,
    HearingsByPhasePanel,
    OperationsPanel,
)
from hearings.admin.library import (
    LIBRARY_MODELS,
    ConsentTextViewSet,
    HearingPartyViewSet,
    LibraryPermissionPolicy,
    ResponseFormTemplateViewSet,
    TextBlockViewSet,
)
from hearings.admin.parties import ResponseRatesPanel
from hearings.admin.responses import ResponsePermissionPolicy, response_viewset
from hearings.admin.viewsets import (
    ClassificationViewSetGroup,
    HearingListingViewSet,
    JobsViewSetGroup,
)
from hearings.exports import service as exports
from hearings.models import HearingPage, HearingParty, HearingResponse

for library_model in LIBRARY_MODELS:
    register_permission_policy(library_model, LibraryPermissionPolicy(library_model))
register_snippet(ClassificationViewSetGroup)
register_snippet(TextBlockViewSet)
register_snippet(ConsentTextViewSet)
register_snippet(ResponseFormTemplateViewSet)
register_permission_policy(HearingParty, LibraryPermissionPolicy(HearingParty))
register_snippet(HearingPartyViewSet)
register_permission_policy(HearingResponse, ResponsePermissionPolicy(HearingResponse))


# Serving ---------------------------------------------------------------------------


@hooks.register("insert_global_admin_css")
def admin_css():
    """Agora's few additions to the admin's look (initials instead of Gravatar)."""
    return format_html('<link rel="stylesheet" href="{}">', static("hearings/css/admin.css"))


@hooks.register("before_serve_page")
def check_hearing_audience(page, request, serve_args, serve_kwargs):
    """A hearing is served only to those ``access.can_see`` lets see it: others are sent
    to sign in, or get 404 (an internal hearing does not exist for them)."""
    if not isinstance(page, HearingPage) or access.can_see(request.user, page):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    raise Http404


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    """A document is served only to those ``access.can_see_file`` lets see it (404 for
    others): one used in an internal hearing only to that hearing's audience."""
    if not access.can_see_file(request.user, document):
        raise Http404


# Admin screens -----------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_hearing_listing():
    return HearingListingViewSet("hearing_listing")


@hooks.register("register_admin_viewset")
def register_response_viewset():
    return response_viewset


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsViewSetGroup()


def _hearing_buttons(page, user, in_header):
    """A hearing's own buttons, in the page header and the listing's "more" menu: its
    responses (for those who moderate it) and "copy as a new hearing"."""
    if not issubclass(page.specific_class or object, HearingPage):
        return
    hearing = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    if access.can_moderate(user, hearing):
        yield Button(
            gettext_lazy("Responses"),
            url=reverse("hearing_responses:hearing", args=[page.pk]),
            icon_name="comment",
            priority=40 if in_header else 45,
        )
    if access.can_copy_hearing(user, hearing):
        yield Button(
            gettext_lazy("Copy as a new hearing"),
            url=reverse("agora_copy_hearing", args=[page.pk]),
            icon_name="copy",
            priority=45 if in_header else 35,
        )


@hooks.register("register_page_header_buttons")
def page_header_hearing_buttons(page, user, view_name=None, next_url=None):
    yield from _hearing_buttons(page, user, in_header=True)


@hooks.register("register_page_listing_more_buttons")
def page_listing_hearing_buttons(page, user, next_url=None):
    yield from _hearing_buttons(page, user, in_header=False)


@hooks.register("register_admin_urls")
def register_copy_hearing_url():
    return [path("hearings/<int:page_id>/copy/", copy_hearing, name="agora_copy_hearing")]


@hooks.register("after_copy_page")
def make_copied_hearings_new(request, page, new_page):
    """Wagtail's own "Copy": every hearing copied (the page, or those under a copied
    index) gets new question ids and is a draft. Its dates, conclusion and ESDH case
    are not copied (``HearingPage.exclude_fields_in_copy``); a hearing without dates
    must not be live, whatever "publish copies" said for an index."""
    for hearing in HearingPage.objects.descendant_of(new_page, inclusive=True):
        if hearing.live:
            hearing.unpublish(log_action=False)
        hearing.renew_question_ids(user=request.user)


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    if access.can_moderate_any(request.user):
        panels.append(AwaitingModerationPanel())
        panels.append(ResponseRatesPanel())
    if access.is_hearing_staff(request.user):
        panels.append(HearingsByPhasePanel())
        panels.append(OperationsPanel())


@hooks.register("before_delete_page")
def keep_hearings_with_responses(request, page):
    """A hearing with responses cannot be deleted: the answers must not be lost."""
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


@hooks.register("after_delete_user")
def report_erasure(request, user):
    """Say what deleting the user erased (``gdpr.on_user_deleted``), and what it did not."""
    erasure = getattr(user, "_agora_erasure", None)
    if erasure is None:
        return
    messages.info(request, gdpr.erasure_summary(erasure))


# Audit log ---------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_log_actions(actions):
    _ = gettext_lazy
    actions.register_action(moderation.APPROVE, _("Approve response"), _("Approved response"))
    actions.register_action(
        moderation.AUTO_APPROVE, _("Approve response automatically"), _("Approved automatically")
    )
    actions.register_action(moderation.REJECT, _("Reject response"), _("Rejected response"))
    actions.register_action(
        moderation.REDACT, _("Redact response"), _("Redacted response for publication")
    )
    actions.register_action(
        moderation.FLAG, _("Flag response as sensitive"), _("Flagged response as sensitive")
    )
    actions.register_action(
        moderation.UNFLAG, _("Remove sensitive flag"), _("Removed the sensitive flag")
    )
    actions.register_action(
        moderation.VIEW, _("View response"), _("Viewed response with personal data")
    )
    actions.register_action(moderation.EXPORT, _("Export responses"), _("Exported responses"))
    actions.register_action(
        SEED_MEMO, _("Write the hearing memo"), _("Wrote the hearing memo from the responses")
    )
    actions.register_action(
        invitations.REMIND,
        _("Send reminder now"),
        _("Reminded those invited who have not answered"),
    )
    actions.register_action(
        moderation.CONCLUSION_NOTICE,
        _("Notify respondents of conclusion"),
        _("Told the respondents the conclusion"),
    )
    actions.register_action(
        registering.REGISTER,
        _("Register a response received by e-mail or letter"),
        _("Registered a response received by e-mail or letter"),
    )
    actions.register_action(
        exports.REQUESTED_ACTION, _("Request ESDH export"), _("ESDH export requested")
    )
    actions.register_action(
        audit.API_READ, _("Read response through the API"), _("Read response through the API")
    )
    actions.register_action(
        audit.RECEIPT_READ, _("Open response receipt"), _("Opened the response's receipt")
    )
    actions.register_action(
        audit.REDACTION_FORM, _("Open redaction form"), _("Opened the redaction form")
    )
    actions.register_action(
        audit.ATTACHMENT_DOWNLOAD, _("Download attachment"), _("Downloaded an attachment")
    )
    actions.register_action(
        audit.RETENTION, _("Apply retention"), _("Deleted or anonymised expired responses")
    )
    actions.register_action(
        audit.PERSONAL_DATA_EXPORT, _("Export personal data"), _("Exported a person's data")
    )
    actions.register_action(audit.ERASURE, _("Erase personal data"), _("Erased a person's data"))


class AuditReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_audit(request.user)


@hooks.register("register_admin_urls")
def register_audit_report_urls():
    return [
        path("reports/personal-data/", AuditReportView.as_view(), name="agora_audit_report"),
        path(
            "reports/personal-data/results/",
            AuditReportView.as_view(results_only=True),
            name="agora_audit_report_results",
        ),
    ]


class ContentBundleMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_move_content(request.user)


@hooks.register("register_admin_urls")
def register_content_bundle_urls():
    return [
        path("content-bundles/", bundle_views.index, name="agora_content_bundles"),
        path(
            "content-bundles/download/",
            bundle_views.download,
            name="agora_content_bundle_download",
        ),
        path("content-bundles/upload/", bundle_views.upload, name="agora_content_bundle_upload"),
        path(
            "content-bundles/confirm/", bundle_views.confirm, name="agora_content_bundle_confirm"
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_content_bundle_menu_item():
    return ContentBundleMenuItem(
        gettext_lazy("Content bundles"),
        reverse("agora_content_bundles"),
        name="content-bundles",
        icon_name="doc-full",
        order=900,
    )


hooks.register("construct_reports_menu", page_types.without_installation_reports)


@hooks.register("register_reports_menu_item")
def register_audit_report_menu_item():
    return AuditReportMenuItem(
        gettext_lazy("Access to personal data"),
        reverse("agora_audit_report"),
        name="personal-data-audit",
        icon_name="lock",
        order=1100,
    )
