"""An editor copies the closed demo hearing as a new hearing from the page listing, and
lands in the page editor of a fresh draft: no dates, no conclusion, no ESDH case, no
responses, new question ids; the original is untouched."""

import re

from hearings.models import HearingPage
from tests.e2e.helpers import assert_accessible, assert_no_script_errors, sign_in

CLOSED_TITLE = "Ny ferieplanlægning"
WAGTAIL_CHROME = [["#wagtail-sidebar"], [".w-minimap"], ["[data-side-panel]"]]


def test_an_editor_copies_a_closed_hearing_and_lands_in_the_editor_of_a_fresh_draft(page):
    from playwright.sync_api import expect

    original = HearingPage.objects.get(title=CLOSED_TITLE)
    assert original.phase in ("closed", "concluded") and original.responses.exists()
    responses_before = original.responses.count()
    question_ids = [block.id for block in original.response_form]
    index = original.get_parent().specific
    sign_in(page, "editor", next_url=f"/admin/pages/{index.pk}/")

    # The hearing's row in the page listing: its "more" menu offers the copy.
    row = page.locator("tr").filter(has=page.get_by_role("link", name=CLOSED_TITLE, exact=True))
    row.locator("[data-w-dropdown-target=toggle]").first.click()
    row.get_by_role("link", name="Kopiér som ny høring").click()

    page.wait_for_url(re.compile(rf"/admin/hearings/{original.pk}/copy/$"))
    expect(page).to_have_title(re.compile("Kopiér som ny høring"))
    expect(page.locator("main")).to_contain_text("ingen datoer, ingen konklusion, ingen ESDH-sag")
    assert_accessible(page, context={"exclude": WAGTAIL_CHROME})
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    copy_id = int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))
    assert copy_id != original.pk
    expect(page.locator("input[name=title]")).to_have_value(f"Kopi af {CLOSED_TITLE}")
    expect(page.get_by_text("er en ny kladde")).to_be_visible()
    assert page.locator("input[name=opens_at]").input_value() == ""
    assert page.locator("input[name=closes_at]").input_value() == ""
    assert page.locator("input[name=esdh_case_number]").input_value() == ""
    assert_no_script_errors(page)

    page_copy = HearingPage.objects.get(pk=copy_id)
    assert not page_copy.live and page_copy.phase == "draft"
    assert page_copy.opens_at is None and page_copy.closes_at is None
    assert page_copy.conclusion == "" and page_copy.esdh_case_number == ""
    assert not page_copy.responses.exists()
    new_ids = [block.id for block in page_copy.response_form]
    assert len(new_ids) == len(question_ids) and not set(new_ids) & set(question_ids)

    original.refresh_from_db()
    assert original.live and original.responses.count() == responses_before
    assert [block.id for block in original.response_form] == question_ids
