"""Search understands Danish compound words: "kantine" and "ordning" both find
"kantineordning", on SQLite and PostgreSQL alike; the results say why they matched; the
search field suggests titles as one types; nobody finds a hearing they may not see."""

import pytest
from django.conf import settings

from search import hearings as hearing_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearings(make_hearing, departments):
    canteen = make_hearing(
        title="Ny kantineordning",
        summary="Frokostordningen ændres fra næste år.",
        departments=[departments["kommune"]],
        body=[
            {
                "type": "paragraph",
                "value": "<p>Kantineudvalget foreslår økologisk mad og færre engangsbægre.</p>",
            }
        ],
    )
    parking = make_hearing(
        title="Parkering ved rådhuset",
        summary="Nye regler for personaleparkering.",
        departments=[departments["kommune"]],
    )
    hidden = make_hearing(title="Kantineregnskab for ledelsen", departments=[departments["other"]])
    return {"canteen": canteen, "parking": parking, "hidden": hidden}


@pytest.fixture
def employee(make_user, departments):
    return make_user("ea", department=departments["team"])


def titles(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    return html


@pytest.mark.parametrize(
    "query", ["kantine", "Kantine", "kantineordning", "ordning", "engangsbæg", "frokost"]
)
def test_parts_of_compound_words_find_the_hearing(hearings, employee, site, query):
    found = hearing_search.find(employee, site, query)

    assert hearings["canteen"] in found
    assert hearings["parking"] not in found
    assert hearings["hidden"] not in found  # outside the audience: never found


def test_whole_words_still_find_and_come_first(hearings, employee, site):
    found = hearing_search.find(employee, site, "parkering")
    assert found[0] == hearings["parking"]


def test_the_results_say_where_the_words_were_found(client, hearings, employee):
    client.force_login(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    html = client.get("/search/", {"q": "kantine"}).content.decode()

    assert "<mark>kantineordning</mark>" in html
    assert "Fundet i titlen:" in html
    html = client.get("/search/", {"q": "økologisk"}).content.decode()
    assert "Fundet i høringsteksten:" in html
    assert "<mark>økologisk</mark>" in html


def test_the_search_field_suggests_titles_of_visible_hearings(client, hearings, employee):
    client.force_login(employee)

    answer = client.get("/search/suggest/", {"q": "kanti"})

    assert answer.status_code == 200
    assert answer.json() == {"suggestions": ["Ny kantineordning"]}
    assert "no-store" in answer["Cache-Control"]
    assert client.get("/search/suggest/", {"q": "k"}).json() == {"suggestions": []}


def test_an_anonymous_visitor_is_suggested_nothing_internal(client, hearings):
    assert client.get("/search/suggest/", {"q": "kanti"}).json() == {"suggestions": []}
