"""A moderator registers a letter with an attachment from a hearing's responses overview;
a first attempt with a field left out keeps what was typed and the uploaded file."""

import re

from django.utils import timezone, translation
from playwright.sync_api import expect

from hearings.models import Channel, HearingPage, HearingResponse
from tests.e2e.helpers import assert_accessible, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def da(message):
    with translation.override("da"):
        return translation.gettext(message)


def field(page, message):
    """The field labelled ``message`` in Danish (Wagtail marks a required one with *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(da(message))}\s*\*?\s*$"))


def test_a_moderator_registers_a_letter_with_an_attachment(page):
    hearing = HearingPage.objects.get(slug="ferieplanlaegning")
    sign_in(page, "moderator", next_url="/admin/")
    page.goto(f"/admin/responses/hearing/{hearing.pk}/")
    page.get_by_role("link", name=da("Register a response received by e-mail or letter")).click()
    page.wait_for_url(re.compile(rf"/admin/responses/hearing/{hearing.pk}/register/$"))
    assert_accessible(page, context="main")

    field(page, "Letter").check()
    field(page, "Organisation or department").fill("Ældrerådet")
    received = timezone.localtime() - timezone.timedelta(days=3)
    field(page, "Received").fill(received.strftime("%Y-%m-%dT%H:%M"))
    field(page, "Text of the response").fill(
        "Ældrerådet foreslår, at ferieønsker også kan afleveres på papir."
    )
    page.locator("input[name=files]").set_input_files(
        files=[{"name": "brev.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=da("Register the response")).click()

    # The sender's name was left out: the form says so and keeps everything else.
    not_registered = da(
        "The response was not registered. Correct what is marked below; everything you "
        "typed is kept."
    )
    alert = page.get_by_role("alert").filter(has_text=not_registered)
    expect(alert).to_be_visible()
    expect(page.locator("main").get_by_text(da("This field is required."))).to_be_visible()
    assert field(page, "Organisation or department").input_value() == ("Ældrerådet")
    assert "papir" in field(page, "Text of the response").input_value()
    kept = page.get_by_label("brev.pdf")
    assert kept.is_checked()
    assert not HearingResponse.objects.filter(sender_organisation="Ældrerådet").exists()
    assert_accessible(page, context="main")

    field(page, "Sender's name").fill("Karen Holm")
    page.get_by_role("button", name=da("Register the response")).click()
    page.wait_for_url(re.compile(r"/admin/responses/inspect/\d+/$"))

    registered = HearingResponse.objects.get(sender_organisation="Ældrerådet")
    assert registered.channel == Channel.LETTER
    assert registered.respondent is None
    assert registered.registered_by.username == "moderator"
    assert registered.sender_name == "Karen Holm"
    assert [a.name for a in registered.current_attachments()] == ["brev.pdf"]
    main = page.locator("main")
    assert registered.reference in main.inner_text()
    assert "Karen Holm" in main.inner_text()
    assert page.get_by_role("link", name="brev.pdf").first.is_visible()
