"""Search over the hearings the user may see (the rules in search/hearings.py)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from hearings import sites
from search import hearings as hearing_search

MAX_QUERY = 200


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = []
    if query:
        results = hearing_search.find(request.user, sites.request_site(request), query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    for hearing in page:
        hearing.why_matched = hearing_search.why(hearing, query)
    return TemplateResponse(request, "search/search.html", {"query": query, "results": page})


@require_safe
def suggest(request):
    """Titles for the search field's suggestions, as JSON: {"suggestions": [...]}."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    titles = hearing_search.suggest(request.user, sites.request_site(request), query)
    response = JsonResponse({"suggestions": titles})
    response["Cache-Control"] = "private, no-store"
    return response
