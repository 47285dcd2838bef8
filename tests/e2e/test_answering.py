"""An employee answers a hearing in a real browser: every screen on the way passes axe
(WCAG 2.1 A/AA) within the strict CSP, and the answer is really stored.

The open demo hearing "hjemmearbejde" asks every question type; employee1 is invited.
"""

import re

import pytest
from django.utils import translation

from hearings.models import HearingPage, HearingResponse, ResponseStatus
from tests.e2e.helpers import (
    assert_accessible,
    assert_no_csp_violations,
    assert_no_script_errors,
    sign_in,
)

HEARING = "/hearings/hjemmearbejde/"
# A small but real PDF: the upload check looks at the bytes, not the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# The field, or the fieldset of its group, points at a visible error message.
DESCRIBED_BY_AN_ERROR = """(el) => {
  const ids = [el, el.closest("fieldset")]
    .map((node) => (node && node.getAttribute("aria-describedby")) || "")
    .join(" ").split(/\\s+/);
  return ids.some((id) => {
    const message = id && document.getElementById(id);
    return message && message.classList.contains("form-error-message") && message.offsetParent;
  });
}"""


def da(msgid):
    with translation.override("da"):
        return translation.gettext(msgid)


def assert_screen_is_sound(page):
    assert page.locator("h1").count() == 1
    assert " – " in page.title()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert_no_script_errors(page)


def group(page, legend):
    return page.get_by_role("group", name=re.compile(re.escape(legend)))


def hand_in(page, username, slug):
    """Press "Submit answer": the receipt shows the reference of the person's answer,
    stored as submitted; that answer."""
    page.get_by_role("button", name=da("Submit answer")).click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    response = HearingResponse.objects.get(respondent__username=username, hearing__slug=slug)
    assert response.status == ResponseStatus.SUBMITTED
    assert page.locator(".agora-reference").inner_text() == response.reference
    return response


def test_an_employee_answers_every_question_type_then_amends_and_withdraws(page):
    from playwright.sync_api import expect

    sign_in(page, "employee1", next_url=HEARING)
    assert page.url.endswith(HEARING)
    assert_screen_is_sound(page)

    # Sent empty: a summary at the top names every missing answer and links to its field.
    page.get_by_role("button", name=da("Submit answer")).click()
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate("el => el === document.activeElement"), "focus moves to the summary"
    assert page.title().startswith(da("Error:"))
    links = summary.get_by_role("link")
    assert links.count() >= 5
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        field = page.locator(target)
        assert field.count() == 1, f"{target} points at nothing"
        assert field.evaluate(DESCRIBED_BY_AN_ERROR), f"{target} is not told its error"
    role_error = page.get_by_label("Din stilling")
    summary.get_by_role("link", name=re.compile("Din stilling")).click()
    assert role_error.evaluate("el => el === document.activeElement")
    assert role_error.get_attribute("aria-invalid") == "true"
    assert_screen_is_sound(page)

    # Every question type, and a PDF.
    group(page, "Hvem svarer du på vegne af?").get_by_role("radio").first.check()
    page.get_by_label("Din stilling").fill("Pædagog")
    group(page, "Hvor mange dage").get_by_label("To dage", exact=True).check()
    tools = group(page, "Hvilket udstyr")
    tools.get_by_label("Skærm", exact=True).check()
    tools.get_by_label("Headset", exact=True).check()
    group(page, "Hvor enig er du").get_by_role("radio").last.check()
    group(page, "Har du arbejdet hjemme før?").get_by_role("radio").first.check()
    comments = page.get_by_label(re.compile("Har du andre bemærkninger"))
    comments.fill("Husk de ansatte uden hjemmearbejdsplads.")
    page.get_by_label(re.compile("^Bilag")).set_input_files(
        files=[{"name": "høringssvar.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label(re.compile("Jeg accepterer")).check()
    # DKFDS's character counter (started from our script file) counted what was written.
    limit = int(comments.locator("xpath=..").get_attribute("data-maxlength"))
    left = limit - len("Husk de ansatte uden hjemmearbejdsplads.")
    expect(comments.locator("xpath=..").locator(".character-limit")).to_have_text(
        da("You have {value} characters left").replace("{value}", str(left))
    )
    response = hand_in(page, "employee1", "hjemmearbejde")
    assert page.get_by_role("link", name="høringssvar.pdf").is_visible()
    assert page.get_by_text("Husk de ansatte uden hjemmearbejdsplads.").is_visible()
    assert_screen_is_sound(page)

    # "My hearings" knows the answer.
    page.goto("/")
    assert page.get_by_role("cell", name=response.reference, exact=True).is_visible()
    assert_screen_is_sound(page)

    # Amend it from the list.
    page.get_by_role("link", name=re.compile(f"{da('Amend')} {response.reference}")).click()
    page.wait_for_url(re.compile(r"/amend/$"))
    assert page.get_by_label("Din stilling").input_value() == "Pædagog"
    assert_screen_is_sound(page)
    page.get_by_label("Din stilling").fill("Souschef")
    page.get_by_role("button", name=da("Save amended answer")).click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    assert page.get_by_role("heading", name=da("History")).is_visible()
    assert page.get_by_text('"Pædagog"').is_visible()
    response.refresh_from_db()
    assert response.amended_at is not None

    # Withdraw it: a confirmation first, then the form is offered again.
    page.get_by_role("link", name=da("Withdraw your answer")).click()
    page.wait_for_url(re.compile(r"/withdraw/$"))
    assert_screen_is_sound(page)
    page.get_by_role("button", name=da("Withdraw answer")).click()
    page.wait_for_url(re.compile(rf"{HEARING}$"))
    assert page.get_by_role("status").filter(has_text=response.reference).is_visible()
    assert page.get_by_role("button", name=da("Submit answer")).is_visible()
    response.refresh_from_db()
    assert response.status == ResponseStatus.WITHDRAWN


def test_published_responses_on_a_closed_hearing_are_accessible(employee_page):
    from django.contrib.auth import get_user_model

    from hearings import moderation

    page = employee_page
    hearing = HearingPage.objects.get(slug="ferieplanlaegning")
    response = HearingResponse.objects.filter(
        hearing=hearing, status=ResponseStatus.SUBMITTED
    ).first()
    moderation.approve(get_user_model().objects.get(username="moderator"), response)

    page.goto("/hearings/ferieplanlaegning/")
    published = page.get_by_role("region", name=da("Responses"))
    assert published.get_by_role("heading", name=re.compile(response.reference)).is_visible()
    assert page.get_by_role("heading", name=da("Your answer")).is_visible()
    assert_screen_is_sound(page)


def test_published_responses_are_read_a_page_at_a_time(employee_page, monkeypatch):
    from django.contrib.auth import get_user_model

    from hearings import moderation

    monkeypatch.setattr(moderation, "PUBLISHED_PAGE_SIZE", 1)
    page = employee_page
    hearing = HearingPage.objects.get(slug="ferieplanlaegning")
    moderator = get_user_model().objects.get(username="moderator")
    responses = list(
        HearingResponse.objects.filter(hearing=hearing, status=ResponseStatus.SUBMITTED).order_by(
            "sequence"
        )[:2]
    )
    assert len(responses) == 2  # the demo's closed hearing has submitted answers
    for response in responses:
        moderation.approve(moderator, response)

    page.goto("/hearings/ferieplanlaegning/")
    published = page.get_by_role("region", name=da("Responses"))
    first, second = responses
    assert published.get_by_role("heading", name=re.compile(first.reference)).is_visible()
    assert not published.get_by_role("heading", name=re.compile(second.reference)).count()
    published.get_by_role("link", name=da("More responses")).click()
    page.wait_for_url(re.compile(r"\?responses=2"))
    published = page.get_by_role("region", name=da("Responses"))
    assert published.get_by_role("heading", name=re.compile(second.reference)).is_visible()
    assert published.get_by_role("link", name=da("Previous responses")).is_visible()
    assert_screen_is_sound(page)


TRAFFIC = "/hearings/trafikplan-2027/"


def answer_every_question(page):
    """Answer each question of the form on the page, files aside: each text field and
    the first choice of each group."""
    for field in page.locator("main form input[type=text]:visible").all():
        field.fill("Cyklist")
    chosen = set()
    choices = page.locator("main form input[type=radio], main form input[type=checkbox]")
    for choice in choices.all():
        name = choice.get_attribute("name")
        if name not in chosen and choice.is_visible():
            chosen.add(name)
            choice.check()


def test_an_answer_without_files_is_handed_in_and_a_draft_becomes_the_answer(page):
    """The common answer (no files) is handed in at once; an answer whose person has a
    draft goes the careful way, and the draft becomes the answer: one response either
    way, with what was typed."""
    sign_in(page, "employee1", next_url=TRAFFIC)
    text = page.locator("main form textarea:visible").first
    text.fill("Flere cykelstier, tak.")
    page.get_by_role("button", name=da("Save draft")).click()
    page.wait_for_url(re.compile(rf"{TRAFFIC}$"))
    draft = HearingResponse.objects.get(
        respondent__username="employee1", hearing__slug="trafikplan-2027"
    )
    assert draft.status == ResponseStatus.DRAFT
    assert page.locator("main form textarea:visible").first.input_value() == (
        "Flere cykelstier, tak."
    )
    assert_screen_is_sound(page)

    answer_every_question(page)
    stored = hand_in(page, "employee1", "trafikplan-2027")
    assert stored.pk == draft.pk
    assert page.get_by_text("Flere cykelstier, tak.").is_visible()

    # A colleague answers the same hearing straight away, without a draft.
    page.get_by_role("button", name=da("Sign out")).click()
    sign_in(page, "employee2", next_url=TRAFFIC)
    page.locator("main form textarea:visible").first.fill("Varelevering før kl. 9.")
    answer_every_question(page)
    hand_in(page, "employee2", "trafikplan-2027")
    assert_screen_is_sound(page)


@pytest.mark.postgresql
def test_in_production_the_common_answer_is_one_statement_and_the_worker_sends_its_receipt(
    page, settings
):
    """As in production (PostgreSQL, the receipt handed to the job queue's worker): the
    answer typed in the browser is stored by one statement (#16), with its number and
    the receipt's task; the worker's task finds it and mails the receipt."""
    from django.core import mail
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    sign_in(page, "employee2", next_url=TRAFFIC)
    page.locator("main form textarea:visible").first.fill("Varelevering før kl. 9.")
    answer_every_question(page)
    stored = hand_in(page, "employee2", "trafikplan-2027")
    assert page.get_by_text("Varelevering før kl. 9.").is_visible()
    assert stored.revisions.count() == 1 and stored.sequence
    [task] = [SignedPackage.loads(row.payload) for row in OrmQ.objects.all()]
    assert task["func"] == "hearings.notifications.send_receipt_of"  # the one statement's
    mail.outbox.clear()
    import_string(task["func"])(*task["args"])
    [receipt] = mail.outbox
    assert stored.reference in receipt.body and receipt.to == [stored.respondent.email]
    assert_screen_is_sound(page)
