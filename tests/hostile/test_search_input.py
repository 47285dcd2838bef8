"""Hostile search words: search-engine syntax, markup, NUL, very long input. The search
page and the suggestions answer calmly, escape what they echo, and run no syntax."""

import pytest

pytestmark = pytest.mark.django_db

QUERIES = [
    '"',
    "kantine*",
    "NEAR(kantine ordning)",
    "kantine AND OR NOT",
    "title:kantine",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "kan\x00tine",
    "x" * 5000,
    "%_%",
    "((((",
    "-",
]


@pytest.mark.parametrize("query", QUERIES)
def test_hostile_search_words_give_a_page_not_an_error(client, make_hearing, query):
    make_hearing(title="Ny kantineordning")

    page = client.get("/search/", {"q": query})
    suggestions = client.get("/search/suggest/", {"q": query})

    assert page.status_code == 200
    assert suggestions.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert isinstance(suggestions.json()["suggestions"], list)


HOSTILE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">
<script>fetch('/my-data/download/')</script><image href="https://evil.example/x.png"/></svg>"""


def test_a_logo_with_a_script_is_served_so_that_nothing_in_it_runs(client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.models import Site

    from hearings.models import MunicipalitySettings

    settings.MEDIA_ROOT = tmp_path
    identity = MunicipalitySettings.for_site(Site.objects.get(is_default_site=True))
    identity.logo.save("logo.svg", ContentFile(HOSTILE_SVG))

    answer = client.get("/municipality/logo")

    policy = answer["Content-Security-Policy"]
    assert answer["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "script-src" not in policy and "img-src data:" in policy
    assert answer["X-Content-Type-Options"] == "nosniff"
