"""Deadlines are shown in the Danish date format with the time left."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

DATES = Template("{% load hearing_tags %}<dl>{% include 'includes/hearing_dates.html' %}</dl>")


def render_dates(hearing, language="da"):
    with translation.override(language):
        return DATES.render(Context({"hearing": hearing}))


@pytest.fixture
def closing_in_three_days(make_hearing):
    return make_hearing(closes_at=timezone.now() + timedelta(days=3, hours=1))


def test_an_open_hearing_shows_its_deadline_in_danish_and_the_days_left(closing_in_three_days):
    html = render_dates(closing_in_three_days)

    deadline = timezone.localtime(closing_in_three_days.closes_at)
    assert f"{deadline.day}. " in html
    with translation.override("da"):
        assert date_format(deadline, "F Y") in html  # e.g. "december 2026"
    assert "(lukker om 3 dage)" in html


def test_the_time_left_follows_the_language(closing_in_three_days):
    assert "(closes in 3 days)" in render_dates(closing_in_three_days, "en")


def test_an_upcoming_hearing_says_when_it_opens_not_when_it_closes(make_hearing):
    now = timezone.now()
    upcoming = make_hearing(
        opens_at=now + timedelta(days=7, hours=1), closes_at=now + timedelta(days=30)
    )

    html = render_dates(upcoming)

    assert "(åbner om 7 dage)" in html
    assert "lukker om" not in html


def test_a_closed_hearing_shows_no_time_left(make_hearing):
    now = timezone.now()
    closed = make_hearing(opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))

    html = render_dates(closed)

    assert "agora-time-left" not in html
