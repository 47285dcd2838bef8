"""The landing page's view and the person's own data ("Mine data")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site

from hearings import access, gdpr, listing
from hearings.models import HearingIndexPage


def home_page(request, page):
    user = request.user
    invited = listing.my_hearings(user, site=Site.find_for_request(request))
    # A bounded number, with the count and a link to the index for the rest.
    hearings = list(invited[: listing.MY_HEARINGS_SHOWN])
    total = invited.count()
    responses = listing.my_responses(user)
    # The person's current answer per hearing, to mark hearings already answered.
    active = {row["hearing"].pk: row["response"] for row in responses if row["response"].is_active}
    for hearing in hearings:
        hearing.my_response = active.get(hearing.pk)
    return page.render(
        request,
        context_overrides={
            "my_hearings": hearings,
            "my_hearings_total": total,
            "my_responses": responses,
            "hearing_index": HearingIndexPage.objects.child_of(page).live().first(),
        },
    )


@never_cache
@require_GET
@login_required
def my_data(request):
    """What Agora holds about the signed-in person, and the button to download it."""
    if not access.can_download_own_data(request.user):
        raise Http404
    data, files = gdpr.personal_data(request.user)
    return render(request, "home/my_data.html", {"data": data, "file_count": len(files)})


@never_cache
@require_GET
@login_required
def my_data_download(request):
    """The person's data as a ZIP (data.json, data.pdf and their files)."""
    if not access.can_download_own_data(request.user):
        raise Http404
    content = gdpr.export_zip(request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{gdpr.export_filename(request.user)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
