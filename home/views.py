"""The landing page's view: the hearings that invite the person, and their answers."""

from hearings import listing
from hearings.models import HearingIndexPage


def home_page(request, page):
    user = request.user
    hearings = list(listing.my_hearings(user))
    responses = listing.my_responses(user)
    # The person's current answer per hearing, to mark hearings already answered.
    active = {row["hearing"].pk: row["response"] for row in responses if row["response"].is_active}
    for hearing in hearings:
        hearing.my_response = active.get(hearing.pk)
    return page.render(
        request,
        context_overrides={
            "my_hearings": hearings,
            "my_responses": responses,
            "hearing_index": HearingIndexPage.objects.child_of(page).live().first(),
        },
    )
