"""The statements' stable addresses, linked from every page's footer (also the error
pages, which cannot look anything up): each leads to the site's live statement."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from wagtail.models import Site

from home.models import StatementKind, StatementPage


def _statement(kind):
    def view(request):
        page = StatementPage.for_site(Site.find_for_request(request), kind)
        if page is None:
            raise Http404
        return redirect(page.get_url(request))

    view.__name__ = f"{kind}_statement"
    return require_GET(view)


accessibility_statement = _statement(StatementKind.ACCESSIBILITY)
privacy_notice = _statement(StatementKind.PRIVACY)
