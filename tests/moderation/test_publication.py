"""Responses appear on the hearing's page only once approved, as the hearing allows."""

import pytest

from hearings import moderation
from hearings.models import HearingPage, PublishedRespondentDetails, PublishResponses

from .conftest import answers, submit


def page_text(client, hearing, user):
    client.force_login(user)
    answer = client.get(hearing.url)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.django_db
def test_a_response_appears_on_the_page_only_after_approval(client, people, hearing):
    response = submit(people["employee"], hearing, answers(opinion="Flere cykelstier"))
    assert "Flere cykelstier" not in page_text(client, hearing, people["colleague"])
    moderation.approve(people["moderator"], response)
    text = page_text(client, hearing, people["colleague"])
    assert "Flere cykelstier" in text
    assert response.reference in text


@pytest.mark.django_db
def test_rejected_and_flagged_responses_stay_off_the_page(client, people, hearing):
    rejected = submit(people["employee"], hearing, answers(opinion="Afvist tekst"))
    moderation.reject(people["moderator"], rejected, "Usagligt")
    flagged = submit(people["colleague"], hearing, answers(opinion="Følsom tekst"))
    moderation.approve(people["moderator"], flagged)
    moderation.set_sensitive(people["moderator"], flagged, True)
    text = page_text(client, hearing, people["employee"])
    assert "Afvist tekst" not in text
    assert "Følsom tekst" not in text


@pytest.mark.django_db
def test_a_hearing_that_never_publishes_responses_shows_none(client, people, hearing, response):
    moderation.approve(people["moderator"], response)
    hearing.publish_responses = PublishResponses.NEVER
    hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert "Godt forslag" not in page_text(client, hearing, people["colleague"])


@pytest.mark.django_db
def test_the_page_shows_on_behalf_of_and_only_the_personal_data_allowed(client, people, hearing):
    response = submit(
        people["employee"], hearing, on_behalf_of=("organisation", "Cyklistforbundet")
    )
    moderation.approve(people["moderator"], response)
    text = page_text(client, hearing, people["colleague"])
    assert "Cyklistforbundet" in text
    assert "Emma Holm" not in text

    hearing.published_respondent_details = PublishedRespondentDetails.NAME_AND_DEPARTMENT
    hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)
    text = page_text(client, hearing, people["colleague"])
    assert "Emma Holm, Team" in text


@pytest.mark.django_db
def test_the_published_text_is_the_redacted_one(client, people, hearing):
    response = submit(people["employee"], hearing, answers(opinion="Jens fra IT er doven"))
    moderation.redact(people["moderator"], response, "opinion", "[fjernet]", "Personangreb")
    moderation.approve(people["moderator"], response)
    text = page_text(client, hearing, people["colleague"])
    assert "Jens fra IT" not in text
    assert "[fjernet]" in text


@pytest.mark.django_db
def test_the_published_count_follows_moderation_at_once_and_is_read_once(
    client, people, hearing, django_assert_num_queries
):
    """The count of published responses is kept a short while per process (#16: counting
    20,000 was half the page's database time); approving or taking one back drops it."""
    first = submit(people["employee"], hearing, answers(opinion="Første svar"))
    moderation.approve(people["moderator"], first)
    assert "1 offentliggjort høringssvar." in page_text(client, hearing, people["colleague"])
    assert moderation.published_count(hearing) == 1
    with django_assert_num_queries(0):  # kept: no count on the next page view
        assert moderation.published_count(hearing) == 1

    second = submit(people["colleague"], hearing, answers(opinion="Andet svar"))
    moderation.approve(people["moderator"], second)
    assert "2 offentliggjorte høringssvar." in page_text(client, hearing, people["employee"])
    moderation.set_sensitive(people["moderator"], second, True)
    assert "1 offentliggjort høringssvar." in page_text(client, hearing, people["employee"])


@pytest.mark.django_db
def test_a_stale_count_never_hides_a_response_shown(client, people, hearing, settings):
    """Another process published one since this one counted: the page counts what it shows."""
    from django.core.cache import cache

    response = submit(people["employee"], hearing, answers(opinion="Nyt svar"))
    moderation.approve(people["moderator"], response)
    cache.set(f"agora:published-count:{hearing.pk}", 0, 30)  # read before the approval
    text = page_text(client, hearing, people["colleague"])
    assert "Nyt svar" in text and "1 offentliggjort høringssvar." in text
