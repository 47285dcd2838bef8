from django import template
from django.template.loader import render_to_string
from django.utils.timesince import timeuntil

from hearings import lifecycle

register = template.Library()


@register.simple_tag
def phase_badge(hearing):
    phase = lifecycle.phase_of(hearing)
    return render_to_string(
        "includes/phase_badge.html", {"phase": phase, "label": lifecycle.Phase(phase).label}
    )


@register.simple_tag
def time_left(hearing):
    """ "3 days" until the deadline, in the active language; empty once it has passed."""
    if lifecycle.time_left(hearing) is None:
        return ""
    return timeuntil(hearing.closes_at, depth=1)
