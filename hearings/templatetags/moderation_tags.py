"""Template tags for published responses on the hearing page."""

from django import template

from hearings import moderation

register = template.Library()

# The query parameter that pages through the published responses.
PAGE_PARAMETER = "responses"


@register.simple_tag
def published_responses_of(hearing):
    return moderation.published_responses(hearing)


@register.simple_tag(takes_context=True)
def published_responses_html(context, hearing):
    """One page of ``hearing``'s published responses as HTML (the page number read from
    the request's ``?responses=``), "" when none is shown."""
    request = context.get("request")
    number = request.GET.get(PAGE_PARAMETER) if request is not None else None
    return moderation.published_responses_html(hearing, number)
