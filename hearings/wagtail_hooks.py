from wagtail import hooks

from hearings.viewsets import JobsViewSetGroup


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsViewSetGroup()
