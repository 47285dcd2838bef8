"""The site's URLs plus two that fail on purpose, to show the 403 and 500 pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from agora_site.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("A deliberate failure to show the 500 page")


urlpatterns = [
    path("e2e/forbidden/", forbidden),
    path("e2e/broken/", broken),
    *site_urlpatterns,
]
