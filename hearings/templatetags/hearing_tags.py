from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timeuntil

from hearings import answers, phases

register = template.Library()


@register.simple_tag
def phase_badge(hearing):
    phase = phases.phase_of(hearing)
    return render_to_string(
        "includes/phase_badge.html", {"phase": phase, "label": phases.Phase(phase).label}
    )


@register.simple_tag
def time_left(hearing):
    """ "3 days" until the deadline, in the active language; empty once it has passed."""
    if phases.time_left(hearing) is None:
        return ""
    return timeuntil(hearing.closes_at, depth=1)


@register.simple_tag
def time_until_opening(hearing):
    """ "7 days" until an upcoming hearing opens; empty once it is open."""
    now = timezone.now()
    if hearing.opens_at and now < hearing.opens_at:
        return timeuntil(hearing.opens_at, now, depth=1)
    return ""


@register.filter
def answer_text(answer):
    """A stored answer as text, the way its question type reads it."""
    return answers.answer_text(answer)
