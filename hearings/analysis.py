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

from hearings.models import AnswerTheme, HearingResponse, HearingTheme

QUOTES_PER_THEME = 3
QUOTE_LENGTH = 300
TEXT_TYPES = ("long_text", "short_text")


def with_theme(theme):
    """The condition for a response tagged with ``theme``, as a whole or in one answer."""
    return Q(themes=theme) | Q(pk__in=AnswerTheme.objects.filter(theme=theme).values("response"))


def filter_by_theme(queryset, theme=None, tag=None):
    """Responses tagged with ``theme`` (a ``HearingTheme`` or its id; on the response or
    on one of its answers) and/or the free tag ``tag`` (its name, any case)."""
    if theme:
        queryset = queryset.filter(with_theme(theme))
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
    return _shorten(text, length)


def _shorten(text, length):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def answer_quote(response, question_id, length=QUOTE_LENGTH):
    """The text of one answer of the response, shortened ("" if it has none)."""
    answer = (response.answers or {}).get(question_id)
    if not isinstance(answer, dict):
        return ""
    text = strip_tags(str(answer.get("display") or answer.get("value") or ""))
    return _shorten(" ".join(text.split()), length)


def text_answers(response):
    """``[(question id, answer)]``: the written answers of the response, staff can tag."""
    return [
        (question_id, answer)
        for question_id, answer in (response.answers or {}).items()
        if isinstance(answer, dict) and answer.get("type") in TEXT_TYPES
    ]


def set_answer_themes(response, question_id, themes):
    """The themes of one answer of ``response`` become ``themes`` (of its hearing only)."""
    themes = [t for t in themes if t.hearing_id == response.hearing_id]
    current = AnswerTheme.objects.filter(response=response, question_id=question_id)
    current.exclude(theme__in=themes).delete()
    have = set(current.values_list("theme_id", flat=True))
    AnswerTheme.objects.bulk_create(
        AnswerTheme(response=response, question_id=question_id, theme=theme)
        for theme in themes
        if theme.pk not in have
    )


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
        responses = list(standing.filter(with_theme(theme)).distinct().order_by("sequence"))
        tagged = {}  # response id -> [question ids tagged with the theme]
        for row in AnswerTheme.objects.filter(theme=theme).order_by("question_id"):
            tagged.setdefault(row.response_id, []).append(row.question_id)
        # The answers tagged with the theme first (what they said on it), then the
        # longest answer of a response tagged as a whole.
        quotes = [
            (response.reference, quote)
            for response in responses
            for question_id in tagged.get(response.pk, ())
            if (quote := answer_quote(response, question_id))
        ]
        quotes += [
            (response.reference, quote)
            for response in responses
            if response.pk not in tagged and (quote := quote_of(response))
        ]
        quotes = quotes[:QUOTES_PER_THEME]
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
    return standing.filter(
        ~Q(pk__in=standing.filter(themes__isnull=False).values("pk")),
        ~Q(pk__in=AnswerTheme.objects.values("response")),
    )
