from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from hearings.viewsets import JobsViewSetGroup


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsViewSetGroup()


@hooks.register("register_log_actions")
def register_export_log_actions(actions):
    actions.register_action(
        "hearings.export_requested",
        _("Request ESDH export"),
        _("ESDH export requested"),
    )
