"""A comms person, in the admin: sees who has and has not answered, reminds them, tags a
response with a theme and the administration's comment, and downloads the memo."""

import io
import re

from django.utils import translation
from docx import Document
from playwright.sync_api import expect

from hearings.models import AnswerTheme, HearingPage, HearingResponse, ManualReminder
from tests.e2e.helpers import assert_accessible, sign_in


def da(message):
    with translation.override("da"):
        return translation.gettext(message)


def test_a_moderator_reminds_those_who_have_not_answered(page):
    hearing = HearingPage.objects.get(slug="hjemmearbejde")
    sign_in(page, "moderator", next_url="/admin/")
    page.goto(f"/admin/responses/hearing/{hearing.pk}/")
    expect(page.locator("#response-rate")).to_be_visible()
    page.get_by_role("link", name=da("Who has not answered · send reminder")).click()
    page.wait_for_url(re.compile(rf"/admin/responses/hearing/{hearing.pk}/not-answered/$"))
    main = page.locator("main")
    expect(main.get_by_text("HovedMED").first).to_be_visible()
    expect(main.get_by_text("hovedmed@agora.example")).to_be_visible()
    assert_accessible(page, context="main")

    page.get_by_role("button", name=da("Send reminder now")).click()
    expect(page.get_by_text(re.compile(r"En påmindelse er sat i kø til \d+"))).to_be_visible()
    expect(page.get_by_role("button", name=da("Send reminder now"))).to_be_disabled()
    assert ManualReminder.objects.filter(hearing=hearing).count() == 1


def test_a_moderator_tags_a_response_and_downloads_the_memo(page):
    hearing = HearingPage.objects.get(slug="ferieplanlaegning")
    response = HearingResponse.objects.get(hearing=hearing, respondent__username="employee1")
    sign_in(page, "moderator", next_url="/admin/")
    page.goto(f"/admin/responses/hearing/{hearing.pk}/")
    page.get_by_role("link", name=da("Themes and memo")).click()
    page.wait_for_url(re.compile(rf"/admin/responses/hearing/{hearing.pk}/themes/$"))
    assert_accessible(page, context="main")

    # A new theme, then the response tagged with it and commented.
    page.get_by_label(re.compile(r"^\s*Tema\s*\*?\s*$")).fill("Vikarer")
    page.get_by_role("button", name=da("Save theme")).click()
    expect(page.get_by_role("link", name="Vikarer")).to_be_visible()

    page.goto(f"/admin/responses/edit/{response.pk}/")
    page.get_by_label("Vikarer").check()
    page.get_by_role("textbox", name="Administrationens bemærkning").fill(
        "Vikarerne får samme frist."
    )
    with page.expect_response(lambda answer: answer.request.method == "POST"):
        page.locator("main form button[type=submit]").first.click()
    response.refresh_from_db()
    assert response.administration_comment == "Vikarerne får samme frist."
    assert response.themes.filter(name="Vikarer").exists()

    page.goto(f"/admin/responses/hearing/{hearing.pk}/themes/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=da("Download memo (DOCX)")).click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert response.reference in text
    assert "HovedMED" in text and "Handicaprådet" in text


def test_a_moderator_marks_a_single_answer_with_a_theme(page):
    """From the response, *Temaer pr. svar*: the answer gets a theme the response as a
    whole does not have; the theme filter of the listing then finds the response."""
    hearing = HearingPage.objects.get(slug="ferieplanlaegning")
    response = HearingResponse.objects.get(hearing=hearing, respondent__username="employee1")
    theme = hearing.themes.get(name="Frist for ferieønsker")
    assert not response.themes.filter(pk=theme.pk).exists()
    sign_in(page, "moderator", next_url="/admin/")
    page.goto(f"/admin/responses/inspect/{response.pk}/")
    page.get_by_role("link", name=da("Themes per answer")).click()
    page.wait_for_url(re.compile(rf"/admin/responses/answer-themes/{response.pk}/$"))
    expect(page.get_by_text("Husk vikarerne i dagtilbud").first).to_be_visible()
    assert_accessible(page, context="main")

    page.locator("main form").get_by_label("Frist for ferieønsker").first.check()
    page.get_by_role("button", name=da("Save themes")).click()
    page.wait_for_url(re.compile(rf"/admin/responses/inspect/{response.pk}/$"))
    expect(page.get_by_text(da("The themes of the answers were saved."))).to_be_visible()
    assert AnswerTheme.objects.filter(response=response, theme=theme).count() == 1

    page.goto(f"/admin/responses/?hearing={hearing.pk}&theme={theme.pk}")
    expect(page.locator("main").get_by_text(response.reference)).to_be_visible()


def test_a_party_contact_answers_on_behalf_of_the_party(page):
    """employee2 is a HovedMED contact: the answer form offers to answer as the party,
    and answering as the party answers the form's "on behalf of" question too: it is
    hidden while the party is chosen, and stored as the party."""
    sign_in(page, "employee2", next_url="/hearings/hjemmearbejde/")
    assert_accessible(page)

    def group(legend):
        return page.get_by_role("group", name=re.compile(re.escape(legend)))

    behalf = group("Hvem svarer du på vegne af?")
    expect(behalf).to_be_visible()
    answer_as = page.get_by_role("group", name=da("Answer as"))
    answer_as.get_by_label("På vegne af HovedMED").check()
    expect(behalf).to_be_hidden()
    answer_as.get_by_label(da("Myself"), exact=True).check()
    expect(behalf).to_be_visible()
    answer_as.get_by_label("På vegne af HovedMED").check()
    expect(behalf).to_be_hidden()
    page.get_by_label("Din stilling").fill("Tillidsrepræsentant")
    group("Hvor mange dage").get_by_label("To dage", exact=True).check()
    group("Hvilket udstyr").get_by_label("Skærm", exact=True).check()
    group("Hvor enig er du").get_by_role("radio").last.check()
    group("Har du arbejdet hjemme før?").get_by_role("radio").first.check()
    page.get_by_label(re.compile("Jeg accepterer")).check()
    page.get_by_role("button", name=da("Submit answer")).click()
    page.wait_for_url(re.compile(r"/receipt/$"))

    response = HearingResponse.objects.get(
        respondent__username="employee2", hearing__slug="hjemmearbejde"
    )
    assert response.party.name == "HovedMED"
    assert response.on_behalf_of_name == "HovedMED"
    [stored] = [a for a in response.answers.values() if a["type"] == "on_behalf_of"]
    assert stored["value"] == {"kind": "organisation", "name": "HovedMED"}
