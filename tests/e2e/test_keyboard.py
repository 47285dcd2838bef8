"""A keyboard user gets from the front page to a hearing, seeing where focus is all along.

Only the keyboard: Tab and Shift+Tab to move, Enter to follow and submit, and the
arrow keys to choose in a select list (that is how a keyboard chooses there).
"""

import re

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
    name: el.getAttribute("name"),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    boxShadow: style.boxShadow !== "none",
  };
}"""


def focused_matches(page, selector):
    return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)


def press(page, key, until, max_presses=40):
    """Press ``key`` until the focused element satisfies ``until``; focus stays visible."""
    for _ in range(max_presses):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["tag"] != "body", "focus got lost"
        assert focused["focusVisible"] and (focused["outline"] or focused["boxShadow"]), (
            f"no visible focus on {focused} at {page.url}"
        )
        if until(focused):
            return focused
    raise AssertionError(f"{key} never reached the element on {page.url}")


def test_an_employee_finds_and_opens_a_hearing_with_the_keyboard_only(employee_page):
    page = employee_page
    page.goto("/")

    first = press(page, "Tab", lambda f: True)
    assert first["tag"] == "a" and page.evaluate("document.activeElement.hash") == "#main-content"

    press(page, "Tab", lambda f: page.evaluate("document.activeElement.pathname") == "/hearings/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hearings/$"))

    press(page, "Tab", lambda f: f["name"] == "phase")
    page.keyboard.press("ArrowDown")  # "All phases" → the first phase
    chosen_phase = page.evaluate("document.activeElement.value")
    assert chosen_phase
    press(page, "Tab", lambda f: focused_matches(page, "#filter-form button[type=submit]"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"phase={chosen_phase}"))

    press(page, "Tab", lambda f: f["name"] == "phase")
    assert page.evaluate("document.activeElement.value") == chosen_phase, "the filter is kept"
    hearing_link = press(
        page,
        "Tab",
        lambda f: (
            "/hearings/" in page.evaluate("document.activeElement.href || ''")
            and page.evaluate("document.activeElement.closest('article') !== null")
        ),
    )
    press(page, "Shift+Tab", lambda f: focused_matches(page, "#filter-form button[type=submit]"))
    press(page, "Tab", lambda f: f["text"] == hearing_link["text"])
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/hearings/[\w-]+/$"))
    assert page.locator("h1").inner_text() == hearing_link["text"]
