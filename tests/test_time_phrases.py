"""Time left is said the way people say it: "lukker om 3 dage", "lukker i morgen kl. 12"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from hearings.time_phrases import closing_phrase, opening_phrase

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=CPH)


@pytest.fixture(autouse=True)
def copenhagen(settings):
    settings.TIME_ZONE = "Europe/Copenhagen"


def said(delta=None, at=None, now=MONDAY_10, language="da", phrase=closing_phrase):
    moment = at or now + delta
    with translation.override(language):
        return phrase(moment, now)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=2, hours=23), "lukker om 3 dage"),
        (timedelta(days=3, hours=1), "lukker om 3 dage"),
        (timedelta(days=2, hours=11), "lukker om 2 dage"),
        (timedelta(days=13), "lukker om 13 dage"),
        (timedelta(days=20), "lukker om 3 uger"),
        (timedelta(hours=2, minutes=10), "lukker om 2 timer"),
        (timedelta(hours=1, minutes=35), "lukker om 2 timer"),
        (timedelta(hours=1, minutes=10), "lukker om 1 time"),
        (timedelta(minutes=20), "lukker om 20 minutter"),
        (timedelta(seconds=20), "lukker om 1 minut"),
    ],
)
def test_time_left_is_rounded_the_way_people_say_it(delta, expected):
    assert said(delta) == expected


def test_tomorrow_and_today_are_said_with_the_hour():
    assert said(at=datetime(2026, 3, 3, 12, 0, tzinfo=CPH)) == "lukker i morgen kl. 12"
    assert said(at=datetime(2026, 3, 3, 9, 30, tzinfo=CPH)) == "lukker i morgen kl. 9.30"
    assert said(at=datetime(2026, 3, 2, 17, 0, tzinfo=CPH)) == "lukker i dag kl. 17"


def test_the_day_after_tomorrow_is_never_one_day():
    late_evening = datetime(2026, 3, 2, 23, 0, tzinfo=CPH)
    assert said(at=datetime(2026, 3, 4, 1, 0, tzinfo=CPH), now=late_evening) == "lukker om 2 dage"


def test_a_passed_deadline_says_nothing():
    assert said(-timedelta(minutes=1)) == ""
    assert closing_phrase(None) == ""


def test_openings_are_said_the_same_way_and_english_too():
    assert said(timedelta(days=6, hours=20), phrase=opening_phrase) == "åbner om 7 dage"
    assert said(timedelta(days=2, hours=23), language="en") == "closes in 3 days"
    tomorrow_noon = datetime(2026, 3, 3, 12, 0, tzinfo=CPH)
    assert said(at=tomorrow_noon, language="en") == "closes tomorrow at 12:00"
