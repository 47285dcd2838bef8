"""Template tags for published responses on the hearing page."""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from hearings import moderation

register = template.Library()

# The query parameter that pages through the published responses.
PAGE_PARAMETER = "responses"


@register.simple_tag
def published_responses_of(hearing):
    return moderation.published_responses(hearing)


@register.simple_tag(takes_context=True)
def published_responses_page(context, hearing):
    """One page of ``hearing``'s published responses, the page number read from the
    request's ``?responses=``; None when none is shown."""
    request = context.get("request")
    number = request.GET.get(PAGE_PARAMETER) if request is not None else None
    return moderation.published_responses_page(hearing, number)


@register.simple_tag(takes_context=True)
def published_responses_html(context, hearing):
    """One page of ``hearing``'s published responses as HTML (the page number read from
    ``?responses=``), "" when none is shown.

    The same for everyone who reads the page, so it is kept per process for
    ``moderation.PUBLISHED_COUNT_SECONDS`` (#16: 20 responses rendered on every view
    were a fifth of the page's time), per hearing revision, page and language. A change
    to any of the hearing's responses or redactions drops it at once in the process
    that made it (``moderation.forget_published_count``); others within those seconds.
    """
    request = context.get("request")
    number = moderation.page_number(request.GET.get(PAGE_PARAMETER) if request else None)
    key = ":".join(
        str(part)
        for part in (
            "agora:published-html",
            hearing.pk,
            moderation.published_generation(hearing.pk),
            hearing.latest_revision_id,
            number,
            translation.get_language(),
        )
    )
    html = cache.get(key)
    if html is None:
        page = moderation.published_responses_page(hearing, number)
        html = (
            render_to_string(
                "hearings/moderation/published_responses_list.html", {"published": page}
            )
            if page
            else ""
        )
        cache.set(key, html, moderation.PUBLISHED_COUNT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there
