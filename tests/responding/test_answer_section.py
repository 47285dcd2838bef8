"""The "Your answer" section of a hearing page always tells the reader something."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from hearings.models import Audience

pytestmark = pytest.mark.django_db


def answer_section(html):
    start = html.index('aria-labelledby="respond-heading"')
    return html[start : html.index("</section>", start)]


def test_an_anonymous_reader_of_a_public_hearing_is_offered_to_sign_in(client, make_hearing):
    hearing = make_hearing(title="Åben høring", audience=Audience.PUBLIC)

    section = answer_section(client.get(hearing.url).content.decode())

    assert "Sign in to answer this hearing." in section
    assert f'href="/accounts/login/?next={hearing.url}"' in section


def test_an_invited_employee_is_told_when_the_deadline_has_passed(client, open_hearing, audience):
    open_hearing.closes_at = timezone.now() - timedelta(minutes=1)
    open_hearing.save_revision().publish()
    client.force_login(audience["employee"])

    section = answer_section(client.get(open_hearing.url).content.decode())

    assert "The deadline has passed" in section
    assert "<form" not in section


def test_a_page_rendered_without_the_form_still_explains_itself(open_hearing, audience):
    request = RequestFactory().get(open_hearing.url)
    request.user = audience["employee"]

    section = answer_section(open_hearing.render(request).render().content.decode())

    assert "You cannot answer this hearing here." in section
