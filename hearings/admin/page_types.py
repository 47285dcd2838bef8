"""Wagtail's page types usage report counts the pages of the whole installation and
names the page of each type edited last: on an installation serving several
municipalities, another municipality's page and numbers. There the report is the
superuser's alone (its menu item and its address); with one site it is as Wagtail made
it."""

from wagtail.admin.auth import permission_denied
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Site

MENU_NAME = "page-types-usage"


def reads_the_whole_installation(user):
    """May ``user`` read what spans every municipality? Everybody may with one site."""
    # Wagtail's kept site root paths: no query on the admin pages whose menu asks.
    return user.is_superuser or len(Site.get_site_root_paths()) <= 1


class PageTypesUsageView(PageTypesUsageReportView):
    def dispatch(self, request, *args, **kwargs):
        if not reads_the_whole_installation(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


def without_installation_reports(request, menu_items):
    """Hook ``construct_reports_menu``: no page types usage for whom it is refused."""
    if not reads_the_whole_installation(request.user):
        menu_items[:] = [item for item in menu_items if item.name != MENU_NAME]
