"""An employee finds a hearing by part of a compound word, with suggestions as they
type, and reads long hearing material in an accordion — in the real browser."""

from playwright.sync_api import expect

from hearings.models import HearingPage
from tests.e2e.helpers import assert_accessible, assert_no_script_errors


def test_part_of_a_word_is_suggested_and_found_with_the_reason(employee_page):
    page = employee_page
    page.goto("/search/")

    page.get_by_label("Søgeord").press_sequentially("hjemme", delay=30)
    option = page.locator("#search-suggestions option")
    expect(option.first).to_have_attribute("value", "Ny politik for hjemmearbejde")

    page.get_by_label("Søgeord").press("Enter")
    result = page.locator("main .agora-hearing-list > li").first
    expect(result.get_by_role("link", name="Ny politik for hjemmearbejde")).to_be_visible()
    expect(result.locator(".agora-why-matched")).to_contain_text("Fundet i titlen:")
    expect(result.locator("mark")).to_have_text("hjemmearbejde")
    assert_accessible(page)
    assert_no_script_errors(page)


def test_long_hearing_material_opens_section_by_section(employee_page):
    hearing = HearingPage.objects.get(slug="hjemmearbejde")
    hearing.body = [
        {"type": "heading", "value": {"text": f"Afsnit {n}", "level": "h2"}}
        if i % 2 == 0
        else {"type": "paragraph", "value": f"<p>Indhold i afsnit {n}.</p>"}
        for n in range(1, 4)
        for i in range(2)
    ]
    hearing.save_revision().publish()
    page = employee_page
    page.goto("/hearings/hjemmearbejde/")

    second = page.get_by_role("button", name="Afsnit 2")
    expect(second).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_text("Indhold i afsnit 2.")).to_be_hidden()
    expect(page.get_by_text("Indhold i afsnit 1.")).to_be_visible()

    second.click()
    expect(second).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Indhold i afsnit 2.")).to_be_visible()
    assert_accessible(page)
    assert_no_script_errors(page)
