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
