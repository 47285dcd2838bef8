"""Template context shared by every public and admin page."""

from django.utils.functional import SimpleLazyObject

from hearings import sites
from hearings.models.municipality import municipality_of


def municipality(request):
    """``municipality``: the MunicipalitySettings of the site the request is for.

    Lazy, so a page that shows no identity (an API response, a file) costs no query. The
    admin uses the same: one name and logo per site, in its title, sidebar and sign-in.
    """

    def settings_for_request():
        cached = getattr(request, "_agora_municipality", None)
        if cached is None:
            cached = municipality_of(sites.request_site(request))
            request._agora_municipality = cached
        return cached

    return {"municipality": SimpleLazyObject(settings_for_request)}
