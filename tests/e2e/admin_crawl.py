"""Walking the Wagtail admin as a staff member, and finding English on its screens.

``english_msgids()`` is the set of Wagtail's own messages (its English catalogues,
Python and scripts) that no Danish catalogue translates — Wagtail's, Django's, ours
(locale/da) or the overrides (locale/overrides). ``english_on(page)`` returns the
visible strings of a screen that are one of them.

``crawl(page, start)`` visits the admin screens a user can reach: it follows the links
of every screen (the sidebar's too), one screen per URL pattern (numbers stand for ids),
never a link that changes something (delete, unpublish, sign out…).
"""

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import django
import polib
import wagtail
from django.conf import settings

WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%[sd]")

# Links a crawl never follows: they act, leave the admin, or serve files.
NEVER = re.compile(
    r"/(delete|unpublish|logout|revert|lock|unlock|copy|move|convert_alias|"
    r"workflow/(action|collect)|cancel|restart|disable|enable|"
    r"download|export|usage/|jsi18n|sprite|login|bulk/)"
    r"|\.(xlsx|csv|pdf|zip|docx|png|jpg|svg)$"
)


def _catalogues(language):
    roots = [WAGTAIL, DJANGO / "contrib", DJANGO / "conf", *map(Path, settings.LOCALE_PATHS)]
    for root in roots:
        for pattern in (f"**/locale/{language}/LC_MESSAGES/*.po", f"{language}/LC_MESSAGES/*.po"):
            yield from root.glob(pattern)


@functools.cache
def english_msgids():
    translated = set()
    for path in _catalogues("da"):
        for entry in polib.pofile(str(path)):
            if entry.translated() and "fuzzy" not in entry.flags:
                translated.add(entry.msgid)
                if entry.msgid_plural:
                    translated.add(entry.msgid_plural)
    english = set()
    for path in WAGTAIL.glob("**/locale/en/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(path)):
            if entry.msgid and entry.msgid not in translated:
                english.add(entry.msgid)
                if entry.msgid_plural:
                    english.add(entry.msgid_plural)
    return frozenset(english)


@functools.cache
def _matchers():
    exact, patterns = set(), []
    for msgid in english_msgids():
        literal = PLACEHOLDER.sub("", msgid)
        if "<" in msgid or not re.search(r"[A-Za-z]{2}", literal):
            continue  # markup is split across text nodes; a bare placeholder says nothing
        if PLACEHOLDER.search(msgid) and len(re.findall(r"[A-Za-z]", literal)) < 6:
            continue  # "%(count)s page" would match any title ending in "page"
        if PLACEHOLDER.search(msgid):
            parts = PLACEHOLDER.split(msgid)
            regex = ".+?".join(re.escape(re.sub(r"\s+", " ", part)) for part in parts)
            regex = regex.strip()
            patterns.append(re.compile(regex, re.IGNORECASE))
        else:
            exact.add(" ".join(msgid.split()).casefold())
    return exact, patterns


# The visible strings of the page: text nodes of rendered elements, and the attributes
# a person reads (placeholder, button values, accessible labels of visible controls).
VISIBLE_STRINGS = """
() => {
  const strings = new Set();
  const shown = (el) => el && el.checkVisibility && el.checkVisibility({
    checkOpacity: true, checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || ["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(el.tagName)) continue;
    if (el.closest("code, pre, textarea, [contenteditable=true], .w-sr-only, .visuallyhidden"))
      continue;
    if (shown(el)) strings.add(text);
  }
  for (const el of document.querySelectorAll("[placeholder], input[type=submit], [aria-label]")) {
    if (!shown(el)) continue;
    for (const value of [el.getAttribute("placeholder"), el.type === "submit" ? el.value : null,
                         el.getAttribute("aria-label")]) {
      if (value && value.trim()) strings.add(value.replace(/\\s+/g, " ").trim());
    }
  }
  strings.add(document.title);
  return [...strings];
}
"""


def english_on(page):
    """The visible strings of ``page`` that are Wagtail messages without Danish."""
    exact, patterns = _matchers()
    found = []
    for text in page.evaluate(VISIBLE_STRINGS):
        candidates = {text, text.rstrip("*: ").strip()}
        if any(candidate.casefold() in exact for candidate in candidates) or any(
            pattern.fullmatch(candidate) for pattern in patterns for candidate in candidates
        ):
            found.append(text)
    return found


def pattern_of(url):
    path = urlsplit(url).path
    return re.sub(r"/\d+(?=/)", "/<id>", path)


def admin_links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if not parts.path.startswith("/admin/") or NEVER.search(parts.path):
            continue
        yield f"{origin}{parts.path}"


def crawl(page, start, origin, extra=(), limit=200):
    """Visit admin screens breadth-first from ``start`` (and ``extra``), once per URL
    pattern; yield (url, status) after each screen has loaded."""
    queue = [start, *extra]
    seen = set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        key = pattern_of(url)
        if key in seen:
            continue
        seen.add(key)
        response = page.goto(url)
        page.wait_for_load_state("load")
        yield url, response.status if response else None
        if urlsplit(page.url).path.startswith("/admin/"):
            links = admin_links(page, origin)
            queue.extend(link for link in links if pattern_of(link) not in seen)
            # The sidebar renders its menus from data: its closed submenus have no links.
            queue.extend(
                f"{origin}{item['url']}"
                for item in sidebar_items(page)
                if item["url"].startswith("/admin/") and not NEVER.search(item["url"])
            )


def sidebar_items(page):
    """Every menu item of Wagtail's sidebar (the data it is rendered from)."""
    return page.evaluate(
        """() => {
          const el = document.getElementById("wagtail-sidebar-props");
          if (!el) return [];
          const items = [];
          const walk = (value) => {
            if (Array.isArray(value)) { value.forEach(walk); return; }
            if (value && typeof value === "object") {
              if (typeof value.url === "string") items.push({url: value.url});
              Object.values(value).forEach(walk);
            }
          };
          walk(JSON.parse(el.textContent));
          return items;
        }"""
    )
