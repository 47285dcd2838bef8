"""Wagtail hooks for the responses admin: viewset, buttons, dashboard panels, audit log.

Imported from ``HearingsConfig.ready`` (kept beside ``wagtail_hooks`` so that the
foundation's hooks module and this one grow without stepping on each other).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from hearings import access, moderation
from hearings.admin_responses import ResponsePermissionPolicy, response_viewset
from hearings.dashboard import AwaitingModerationPanel, MyHearingsPanel
from hearings.models import HearingPage, HearingResponse

register_permission_policy(HearingResponse, ResponsePermissionPolicy(HearingResponse))


@hooks.register("register_admin_viewset")
def register_response_viewset():
    return response_viewset


def _responses_button(page, user, priority):
    if not issubclass(page.specific_class or object, HearingPage):
        return None
    hearing = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    if not access.can_moderate(user, hearing):
        return None
    return Button(
        _("Responses"),
        url=reverse("hearing_responses:hearing", args=[page.pk]),
        icon_name="comment",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_responses_button(page, user, view_name=None, next_url=None):
    button = _responses_button(page, user, priority=40)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_responses_button(page, user, next_url=None):
    button = _responses_button(page, user, priority=45)
    if button:
        yield button


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    if access.can_moderate_any(request.user):
        panels.append(AwaitingModerationPanel())
    if access.is_hearing_staff(request.user):
        panels.append(MyHearingsPanel())


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
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
        moderation.CONCLUSION_NOTICE,
        _("Notify respondents of conclusion"),
        _("Told the respondents the conclusion"),
    )
