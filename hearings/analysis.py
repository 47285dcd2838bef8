"""The analysis of a hearing's responses: themes, free tags and the administration's
comments, which the summary report, the exports and the memo (``hearings.memo``) read.

A hearing's *themes* are its controlled list (``HearingTheme``); *free tags* are the
staff's own words (``HearingResponse.tags``). Staff set both on a response in the
responses admin, with the administration's comment on it; a theme has its own summary
and comment.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.html import strip_tags

from hearings.models import HearingResponse, HearingTheme

QUOTES_PER_THEME = 3
QUOTE_LENGTH = 300
TEXT_TYPES = ("long_text", "short_text")


def filter_by_theme(queryset, theme=None, tag=None):
    """Responses tagged with ``theme`` (a ``HearingTheme`` or its id) and/or the free
    tag ``tag`` (its name, any case)."""
    if theme:
        queryset = queryset.filter(themes=theme)
    if tag:
        queryset = queryset.filter(tags__name__iexact=tag)
    return queryset.distinct() if (theme or tag) else queryset


def themes_of(hearing):
    return HearingTheme.objects.filter(hearing=hearing)


def quote_of(response, length=QUOTE_LENGTH):
    """The response's longest written answer, shortened: what it said in its own words."""
    texts = [
        strip_tags(str(answer.get("display") or answer.get("value") or ""))
        for answer in (response.answers or {}).values()
        if isinstance(answer, dict) and answer.get("type") in TEXT_TYPES
    ]
    text = " ".join(max(texts, key=len, default="").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass
class ThemeSummary:
    theme: object
    count: int
    responses: list = field(default_factory=list)
    quotes: list = field(default_factory=list)  # [(reference, text)]


def theme_summaries(hearing):
    """Each theme of ``hearing`` with the standing responses tagged with it, their
    count, and a few quotes. The themes in their order."""
    standing = HearingResponse.objects.filter(hearing=hearing).standing()
    summaries = []
    for theme in themes_of(hearing):
        responses = list(standing.filter(themes=theme).order_by("sequence"))
        quotes = [
            (response.reference, quote) for response in responses if (quote := quote_of(response))
        ][:QUOTES_PER_THEME]
        summaries.append(ThemeSummary(theme, len(responses), responses, quotes))
    return summaries


def tag_counts(hearing):
    """``[(free tag, number of standing responses)]``, most used first."""
    standing = HearingResponse.objects.filter(hearing=hearing).standing()
    rows = (
        standing.filter(tags__isnull=False)
        .values_list("tags__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "tags__name")
    )
    return list(rows)


def untagged(hearing):
    """Standing responses with no theme yet."""
    standing = HearingResponse.objects.filter(hearing=hearing).standing()
    return standing.filter(~Q(pk__in=standing.filter(themes__isnull=False).values("pk")))
