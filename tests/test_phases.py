"""The phase of a hearing, from the clock and the page's state, to the second."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearings.models import HearingPage
from hearings.phases import Phase, phase_filter, phase_of

CPH = ZoneInfo("Europe/Copenhagen")
SECOND = timedelta(seconds=1)


@pytest.fixture
def hearing(make_hearing):
    return make_hearing(
        opens_at=datetime(2026, 3, 28, 12, 0, tzinfo=CPH),
        # The night of 29 March 2026 the clocks go from 02:00 to 03:00.
        closes_at=datetime(2026, 3, 29, 3, 0, tzinfo=CPH),
    )


def test_a_draft_is_draft_whatever_the_clock(make_hearing):
    hearing = make_hearing(live=False)
    assert phase_of(hearing) == Phase.DRAFT


def test_one_second_before_opening_the_hearing_is_upcoming(hearing):
    assert phase_of(hearing, hearing.opens_at - SECOND) == Phase.UPCOMING
    assert phase_of(hearing, hearing.opens_at) == Phase.OPEN


def test_one_second_before_the_deadline_is_open_and_at_it_closed(hearing):
    assert phase_of(hearing, hearing.closes_at - SECOND) == Phase.OPEN
    assert phase_of(hearing, hearing.closes_at) == Phase.CLOSED
    assert phase_of(hearing, hearing.closes_at + SECOND) == Phase.CLOSED


def test_the_deadline_holds_across_the_spring_daylight_saving_change(hearing):
    # 01:59:59 CET is one real second before 03:00:00 CEST.
    just_before = datetime(2026, 3, 29, 1, 59, 59, tzinfo=CPH)
    assert hearing.closes_at - just_before == SECOND
    assert phase_of(hearing, just_before) == Phase.OPEN
    assert phase_of(hearing, just_before + SECOND) == Phase.CLOSED


def test_the_deadline_holds_across_the_autumn_daylight_saving_change(make_hearing):
    # On 25 October 2026 02:30 happens twice; fold=1 is the second (CET) one.
    deadline = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=CPH)
    hearing = make_hearing(opens_at=deadline - timedelta(days=2), closes_at=deadline)
    first_0230 = datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=CPH)
    # hearing.closes_at comes back from the database in UTC: real elapsed time.
    assert hearing.closes_at - first_0230 == timedelta(hours=1)
    assert phase_of(hearing, first_0230) == Phase.OPEN
    assert phase_of(hearing, deadline - SECOND) == Phase.OPEN
    assert phase_of(hearing, deadline) == Phase.CLOSED


def test_a_closed_hearing_with_a_conclusion_is_concluded(hearing):
    after = hearing.closes_at + timedelta(days=1)
    hearing.conclusion = "<p>Vi gør det.</p>"
    assert phase_of(hearing, after) == Phase.CONCLUDED


@pytest.mark.parametrize("phase", [p for p in Phase])
def test_the_database_filter_agrees_with_the_property(make_hearing, phase):
    from django.utils import timezone

    now = timezone.now()
    day = timedelta(days=1)
    make_hearing(title="draft", live=False)
    make_hearing(title="upcoming", opens_at=now + day, closes_at=now + 2 * day)
    make_hearing(title="open", opens_at=now - day, closes_at=now + day)
    make_hearing(title="closed", opens_at=now - 2 * day, closes_at=now - day)
    make_hearing(
        title="concluded",
        opens_at=now - 2 * day,
        closes_at=now - day,
        conclusion="<p>Besluttet.</p>",
    )
    matched = HearingPage.objects.filter(phase_filter(phase, now))
    assert [h.title for h in matched] == [phase.value]
    assert all(phase_of(h, now) == phase for h in matched)
