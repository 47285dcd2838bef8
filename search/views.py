"""Search over the hearings the user may see."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from hearings import access, sites
from hearings.models import HearingPage


def search(request):
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        site = sites.request_site(request)
        hearings = access.visible_hearings(
            request.user, sites.in_site(HearingPage.objects.live(), site)
        )
        results = hearings.search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"query": query, "results": page})
