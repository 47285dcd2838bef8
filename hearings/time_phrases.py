"""How the time until a deadline or an opening is said, the way people say it.

Pure functions of the moment and the clock: "closes in 3 days" (2 days 23 hours are
3 days, not 2), "closes tomorrow at 12", "closes today at 16", "closes in 2 hours",
"closes in 20 minutes". Days are whole local calendar days for today and tomorrow, and
rounded to the nearest day beyond; from two weeks on, weeks.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext, ngettext

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def clock_time(moment):
    """ "12" for a whole hour, else "12.30" (in Danish; "12:00" and "12:30" in English)."""
    if moment.minute == 0:
        return gettext("%(hour)s:00") % {"hour": moment.hour}
    return gettext("%(hour)s:%(minute)02d") % {"hour": moment.hour, "minute": moment.minute}


def rounded(delta, unit):
    """``delta`` in whole ``unit``s, halves up."""
    return int(delta / unit + 0.5)


def _when(moment, now):
    """(kind, count or clock time) for a moment after ``now``."""
    delta = moment - now
    if delta < HOUR:
        return "minutes", max(1, rounded(delta, timedelta(minutes=1)))
    if delta < 6 * HOUR:
        return "hours", rounded(delta, HOUR)
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    if local.date() == today:
        return "today", clock_time(local)
    if local.date() == today + DAY:
        return "tomorrow", clock_time(local)
    days = max(2, rounded(delta, DAY))
    if days < 14:
        return "days", days
    return "weeks", rounded(delta, 7 * DAY)


def closing_phrase(moment, now=None):
    """ "closes in 3 days" for a deadline ahead; empty when there is none or it passed."""
    now = now or timezone.now()
    if not moment or moment <= now:
        return ""
    kind, value = _when(moment, now)
    if kind == "minutes":
        text = ngettext("closes in %(count)s minute", "closes in %(count)s minutes", value)
    elif kind == "hours":
        text = ngettext("closes in %(count)s hour", "closes in %(count)s hours", value)
    elif kind == "today":
        return gettext("closes today at %(time)s") % {"time": value}
    elif kind == "tomorrow":
        return gettext("closes tomorrow at %(time)s") % {"time": value}
    elif kind == "days":
        text = ngettext("closes in %(count)s day", "closes in %(count)s days", value)
    else:
        text = ngettext("closes in %(count)s week", "closes in %(count)s weeks", value)
    return text % {"count": value}


def opening_phrase(moment, now=None):
    """ "opens in 3 days" for an opening ahead; empty when there is none or it passed."""
    now = now or timezone.now()
    if not moment or moment <= now:
        return ""
    kind, value = _when(moment, now)
    if kind == "minutes":
        text = ngettext("opens in %(count)s minute", "opens in %(count)s minutes", value)
    elif kind == "hours":
        text = ngettext("opens in %(count)s hour", "opens in %(count)s hours", value)
    elif kind == "today":
        return gettext("opens today at %(time)s") % {"time": value}
    elif kind == "tomorrow":
        return gettext("opens tomorrow at %(time)s") % {"time": value}
    elif kind == "days":
        text = ngettext("opens in %(count)s day", "opens in %(count)s days", value)
    else:
        text = ngettext("opens in %(count)s week", "opens in %(count)s weeks", value)
    return text % {"count": value}
