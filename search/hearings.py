"""Finding hearings by words, the way Danish is written: compound words in one.

"kantine" must find "kantineordning", and "ordning" too. Three passes over the hearings
the user may see (``hearings.access.visible_hearings``), best first, each hearing once:

1. the full-text search of Wagtail's search backend (ranked; whole words, stemmed on
   PostgreSQL);
2. its autocomplete, a prefix match on the words of the title, summary and body
   ("kantine" → "kantineordning") — SQLite's FTS5 and PostgreSQL's ``:*`` alike;
3. a substring match in the title and summary ("ordning" → "kantineordning").

``why`` tells for a found hearing where the words were found, for the result list.
"""

import re

from django.utils.html import strip_tags
from django.utils.translation import pgettext_lazy

from hearings import access, sites
from hearings.models import HearingPage

LIMIT = 200  # results per pass: more than anyone reads, few enough to stay fast
WHERE = {
    "title": pgettext_lazy("found in the …", "title"),
    "summary": pgettext_lazy("found in the …", "summary"),
    "body": pgettext_lazy("found in the …", "hearing text"),
}
SNIPPET_WORDS = 8


def terms_of(query):
    """The words of ``query``, lower case, two letters or more, at most ten."""
    return [term for term in re.split(r"[\W_]+", query.casefold()) if len(term) >= 2][:10]


def visible(user, site):
    # The search backend reads the queryset's filters and knows ``pk__in`` but not
    # ``Exists`` (which ``visible_hearings`` uses), so the decision goes in as a subquery.
    hearings = sites.in_site(HearingPage.objects.live(), site)
    return hearings.filter(pk__in=access.visible_hearings(user, hearings).values("pk"))


def find(user, site, query):
    """The hearings ``user`` may see at ``site`` matching ``query``, best first."""
    hearings = visible(user, site)
    terms = terms_of(query)
    if not terms:
        return []
    # Only the words go to the search backend: no quotes, stars or operators to parse.
    words = " ".join(terms)
    found = []
    found += [hearing.pk for hearing in hearings.search(words)[:LIMIT]]
    found += [hearing.pk for hearing in hearings.autocomplete(words)[:LIMIT]]
    for term in terms:
        found += hearings.filter(title__icontains=term).values_list("pk", flat=True)[:LIMIT]
        found += hearings.filter(summary__icontains=term).values_list("pk", flat=True)[:LIMIT]
    order = list(dict.fromkeys(found))
    by_pk = hearings.in_bulk(order)
    return [by_pk[pk] for pk in order if pk in by_pk]


def suggest(user, site, query, limit=8):
    """Titles to complete what someone is typing (a prefix of any word in a hearing)."""
    words = " ".join(terms_of(query))
    if not words:
        return []
    hearings = visible(user, site)
    titles = [hearing.title for hearing in hearings.autocomplete(words)[:limit]]
    return list(dict.fromkeys(titles))


def body_text(hearing):
    """The text of a hearing's body (paragraphs, headings, facts), without markup."""
    texts = []

    def collect(value):
        if isinstance(value, str):
            texts.append(strip_tags(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "type"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(list(hearing.body.raw_data))
    return " ".join(texts)


def _snippet(text, term):
    """(before, word, after) around the first word holding ``term``, or None."""
    words = text.split()
    for number, word in enumerate(words):
        if term in word.casefold():
            before = words[max(0, number - SNIPPET_WORDS) : number]
            after = words[number + 1 : number + 1 + SNIPPET_WORDS]
            return (
                ("… " if number > SNIPPET_WORDS else "") + " ".join(before),
                word,
                " ".join(after) + (" …" if number + 1 + SNIPPET_WORDS < len(words) else ""),
            )
    return None


def why(hearing, query):
    """Where ``query``'s words are in ``hearing``: [{where, before, word, after}]."""
    reasons = []
    fields = {"title": hearing.title, "summary": hearing.summary, "body": None}
    for term in terms_of(query):
        for field, text in fields.items():
            if text is None:
                text = fields[field] = body_text(hearing)
            snippet = _snippet(text, term)
            if snippet:
                before, word, after = snippet
                reasons.append(
                    {"where": WHERE[field], "before": before, "word": word, "after": after}
                )
                break
    return reasons
