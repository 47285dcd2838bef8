"""Template tags for published responses on the hearing page."""

from django import template

from hearings import moderation

register = template.Library()


@register.simple_tag
def published_responses_of(hearing):
    return moderation.published_responses(hearing)
