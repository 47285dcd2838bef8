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
