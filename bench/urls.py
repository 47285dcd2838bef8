"""Agora's URLs plus the bare view the benchmark compares every page with."""

from django.http import HttpResponse
from django.urls import include, path

BODY = b"x" * (4 * 1024 * 1024)


def bare(request, size):
    """The same number of bytes as the page measured, from the same Django, no work."""
    return HttpResponse(BODY[:size], content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/bare/<int:size>/", bare), path("", include("agora_site.urls"))]
