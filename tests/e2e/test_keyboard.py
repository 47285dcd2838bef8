"""A keyboard user finds a hearing and answers it, seeing where focus is all along.

Only the keyboard: Tab and Shift+Tab to move, Enter to follow and submit, Space to
tick, and the arrow keys to choose in a select list or a radio group (that is how a
keyboard chooses there) — and typing, of course.
"""

import re

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  // DKFDS hides radios and checkboxes (opacity 0) and draws them, and their focus
  // ring, on the label's ::before: judge what is drawn, not the invisible input.
  const hidden = parseFloat(getComputedStyle(el).opacity) === 0 && el.labels && el.labels.length;
  const style = hidden ? getComputedStyle(el.labels[0], "::before") : getComputedStyle(el);
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


FOCUSED_QUESTION = """() => {
  const el = document.activeElement;
  const fieldset = el.closest("fieldset");
  return {
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : "",
    legend: fieldset ? fieldset.querySelector("legend").innerText.trim() : "",
    type: el.type || "",
    checked: !!el.checked,
  };
}"""


def tab_to(page, label="", legend="", key="Tab"):
    """Tab to the field whose label (or group legend) begins with the given text."""

    def reached(focused):
        question = page.evaluate(FOCUSED_QUESTION)
        return (not label or question["label"].startswith(label)) and (
            not legend or question["legend"].startswith(legend)
        )

    press(page, key, reached)
    return page.evaluate(FOCUSED_QUESTION)


def test_an_employee_answers_a_hearing_with_the_keyboard_only(employee_page):
    from hearings.models import HearingResponse

    page = employee_page
    page.goto("/hearings/")

    press(page, "Tab", lambda f: f["text"] == "Ny politik for hjemmearbejde", max_presses=80)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hearings/hjemmearbejde/$"))

    # A radio group is one Tab stop: Space chooses the focused option, arrows move on.
    assert tab_to(page, legend="Hvem svarer du")["type"] == "radio"
    page.keyboard.press("Space")
    assert page.evaluate(FOCUSED_QUESTION)["checked"]
    tab_to(page, label="Din stilling")
    page.keyboard.type("Pædagog")
    tab_to(page, legend="Hvor mange dage")
    page.keyboard.press("ArrowDown")  # from "Ingen" to "Én dag", chosen as it moves
    chosen_days = page.evaluate(FOCUSED_QUESTION)
    assert chosen_days["label"] == "Én dag" and chosen_days["checked"]
    tab_to(page, label="Kontorstol", legend="Hvilket udstyr")
    page.keyboard.press("Space")
    tab_to(page, legend="Hvor enig")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    # Shift+Tab goes back and forth without losing anything.
    assert tab_to(page, label="Kontorstol", key="Shift+Tab")["checked"]
    tab_to(page, legend="Hvor enig")
    tab_to(page, legend="Har du arbejdet hjemme")
    page.keyboard.press("Space")
    tab_to(page, label="Har du andre bemærkninger")
    page.keyboard.type("Godt forslag.")
    assert tab_to(page, label="Jeg accepterer")["type"] == "checkbox"
    page.keyboard.press("Space")
    press(page, "Tab", lambda f: focused_matches(page, "button[value=submit]"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/receipt/$"))
    response = HearingResponse.objects.get(
        respondent__username="employee1", hearing__slug="hjemmearbejde"
    )
    assert page.locator(".agora-reference").inner_text() == response.reference
    assert page.get_by_text("Én dag").is_visible()
    assert page.get_by_text("Kontorstol").is_visible()
    assert page.get_by_text("Godt forslag.").is_visible()
