from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html

from hearings import answers, phases, sites, time_phrases

register = template.Library()


@register.simple_tag
def phase_badge(hearing):
    phase = phases.phase_of(hearing)
    return render_to_string(
        "includes/phase_badge.html", {"phase": phase, "label": phases.Phase(phase).label}
    )


@register.simple_tag
def time_left(hearing):
    """ "closes in 3 days", "closes tomorrow at 12"; empty once the deadline has passed."""
    return time_phrases.closing_phrase(hearing.closes_at)


@register.simple_tag
def time_until_opening(hearing):
    """ "opens in 7 days" for an upcoming hearing; empty once it is open."""
    return time_phrases.opening_phrase(hearing.opens_at)


@register.filter
def answer_text(answer):
    """A stored answer as text, the way its question type reads it."""
    return answers.answer_text(answer)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, current=""):
    """DKFDS breadcrumbs from the site's front page down to ``page``, then ``current``.

    Every step is a link but the last, which is the page the reader is on: ``page`` when
    no ``current`` is given (a hearing), else ``current`` (a hearing's receipt, search).
    """
    request = context.get("request")
    site = sites.request_site(request)
    trail = []
    if page is not None and site is not None:
        parent = getattr(page, "_cached_parent_obj", None)
        if parent is not None and parent.depth == site.root_page.depth + 1:
            # A hearing served by its index's route has its index already: no query.
            ancestors = [parent, page]
        else:
            ancestors = page.get_ancestors(inclusive=True).filter(
                path__startswith=site.root_page.path, depth__gt=site.root_page.depth
            )
        trail = [(ancestor.get_url(request), ancestor.title) for ancestor in ancestors]
    if not current and trail:
        current = trail.pop()[1]
    return {"trail": trail, "current": current}


ACCORDION_FROM_SECTIONS = 3


@register.inclusion_tag("hearings/includes/hearing_body.html")
def hearing_body(body):
    """A hearing's body; long material (three or more h2 sections) as a DKFDS accordion.

    What comes before the first h2 heading stays open above the accordion; each h2
    heading becomes an accordion button holding the blocks up to the next one.
    """
    intro, sections = [], []
    for block in body:
        if block.block_type == "heading" and block.value.get("level", "h2") == "h2":
            sections.append({"id": block.id, "heading": block.value["text"], "blocks": []})
        elif sections:
            sections[-1]["blocks"].append(block)
        else:
            intro.append(block)
    return {
        "body": body,
        "intro": intro,
        "sections": sections,
        "as_accordion": len(sections) >= ACCORDION_FROM_SECTIONS,
    }


ALERT_ICONS = {"info": "info", "success": "check", "warning": "warning", "error": "error"}


@register.simple_tag
def alert_icon(kind):
    """DKFDS's icon for an alert of ``kind``, from its SVG sprite served by the portal."""
    sprite = static("dkfds/img/all-svg-icons.svg")
    icon = ALERT_ICONS.get(kind, "info")
    return format_html(
        '<svg class="icon-svg alert-icon" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg>',
        sprite,
        icon,
    )
