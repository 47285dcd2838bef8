"""The memo's text as HTML, from the hearing's data (see the package docstring)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from hearings import analysis, rates
from hearings.models import HearingResponse
from hearings.senders import sender_of


def memo_title(hearing):
    with translation.override(settings.LANGUAGE_CODE):
        return _("Hearing memo: %(title)s") % {"title": hearing.title}


def _period(hearing):
    if not (hearing.opens_at and hearing.closes_at):
        return None
    opens = timezone.localtime(hearing.opens_at)
    closes = timezone.localtime(hearing.closes_at)
    return {"opens": opens, "closes": closes, "days": (closes.date() - opens.date()).days}


def _themes_of(response):
    """The response's themes, as a whole and on its single answers, each once."""
    themes = list(response.themes.all())
    themes += [row.theme for row in response.answer_themes.all() if row.theme not in themes]
    return sorted(set(themes), key=lambda theme: (theme.sort_order, theme.name))


def context(hearing):
    """Everything the memo says, as plain data for its template."""
    status = rates.response_rates(hearing)
    responses = list(
        HearingResponse.objects.filter(hearing=hearing)
        .standing()
        .select_related("party", "respondent__employee_profile__department")
        .prefetch_related("themes", "answer_themes__theme")
        .order_by("sequence", "pk")
    )
    parties = sorted(status.parties, key=lambda row: row.party.name.lower())
    return {
        "hearing": hearing,
        "title": memo_title(hearing),
        "period": _period(hearing),
        "url": hearing.full_url or "",
        "departments": status.departments,
        "parties": parties,
        "rates": status,
        "themes": analysis.theme_summaries(hearing),
        "untagged": [r for r in responses if not _themes_of(r)],
        "responses": [
            {
                "response": response,
                "sender": sender_of(response),
                "quote": analysis.quote_of(response, length=600),
                "themes": _themes_of(response),
            }
            for response in responses
        ],
        "changes": hearing.memo_changes,
        "generated_at": timezone.now(),
    }


def draft_html(hearing):
    """The generated memo as HTML fit for the rich-text field (h2, h3, p, ul, b)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("hearings/memo/draft.html", context(hearing)).strip()


def memo_html(hearing):
    """The memo as the case officer left it (``hearing.memo``), else the draft."""
    if strip_tags(hearing.memo or "").strip():
        return expand_db_html(hearing.memo)
    return draft_html(hearing)
