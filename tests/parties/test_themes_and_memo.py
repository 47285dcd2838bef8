"""Themes, free tags and comments; the filters; the memo as DOCX and PDF/A; filing."""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from hearings import analysis, jobs, responding
from hearings.exports import tabular
from hearings.memo import draft_html
from hearings.memo.docx import memo_docx
from hearings.memo.pdf import memo_pdf
from hearings.models import FiledDocument, HearingPage, HearingTheme
from hearings.phases import Phase
from tests.jobs.fixtures import pdfa_part

pytestmark = pytest.mark.django_db

FORM = [
    {
        "type": "long_text",
        "id": "opinion",
        "value": {"label": "Bemærkninger", "help_text": "", "required": False, "max_length": 2000},
    }
]


def said(text):
    answer = {"type": "long_text", "label": "Bemærkninger", "value": text, "display": text}
    return {"opinion": answer}


@pytest.fixture
def analysed(party_hearing, parties, cast):
    """A closed hearing with three responses, two themes, tags and comments."""
    hearing = party_hearing(response_form=FORM)
    answers = [
        (cast["center"], None, "Flere p-pladser ved rådhuset, tak."),
        (cast["team"], parties["hovedmed"], "HovedMED ønsker bedre arbejdsmiljø."),
        (parties["both"], parties["handicap"], "Adgangsforholdene skal være trinfri."),
    ]
    responses = [
        responding.submit(
            u, hearing, said(t), token=uuid.uuid4(), party=p, send_receipt=False
        ).response
        for u, p, t in answers
    ]
    parking = HearingTheme.objects.create(
        hearing=hearing, name="Parkering", comment="Imødekommes delvist."
    )
    access = HearingTheme.objects.create(
        hearing=hearing, name="Tilgængelighed", comment="Imødekommes."
    )
    responses[0].themes.set([parking])
    responses[1].themes.set([parking, access])
    responses[2].themes.set([access])
    responses[2].tags.add("niveaufri")
    for number, response in enumerate(responses, start=1):
        response.administration_comment = f"Bemærkning nummer {number}."
        response.save()
    HearingPage.objects.filter(pk=hearing.pk).update(
        closes_at=timezone.now() - timedelta(hours=1),
        opens_at=timezone.now() - timedelta(days=20),
    )
    hearing.refresh_from_db()
    return {"hearing": hearing, "responses": responses, "parking": parking, "access": access}


def test_theme_filters_in_the_listing_and_the_exports(client, analysed, cast):
    hearing, responses = analysed["hearing"], analysed["responses"]
    assert set(analysis.filter_by_theme(hearing.responses.all(), analysed["parking"])) == set(
        responses[:2]
    )
    table = list(tabular.rows(hearing, theme=analysed["access"]))
    assert [row[0] for row in table[1:]] == [responses[1].reference, responses[2].reference]
    assert table[0][-3:] == ["Temaer", "Frie emneord", "Administrationens bemærkning"] or (
        table[0][-3:] == ["Themes", "Free tags", "The administration's comment"]
    )
    assert "Parkering, Tilgængelighed" in table[1]

    client.force_login(cast["admin"])
    index = reverse("hearing_responses:index")
    listing = client.get(
        index, {"hearing": hearing.pk, "theme": analysed["parking"].pk}
    ).content.decode()
    assert responses[0].reference in listing and responses[2].reference not in listing
    by_tag = client.get(
        reverse("hearing_responses:index"), {"hearing": hearing.pk, "tag": "NIVEAUFRI"}
    ).content.decode()
    assert responses[2].reference in by_tag and responses[0].reference not in by_tag
    csv = b"".join(
        client.get(
            reverse("hearing_responses:export", args=[hearing.pk, "csv"]),
            {"theme": analysed["parking"].pk},
        ).streaming_content
    ).decode()
    assert responses[0].reference in csv and responses[2].reference not in csv
    foreign = client.get(
        reverse("hearing_responses:export", args=[hearing.pk, "csv"]), {"theme": 999999}
    )
    assert foreign.status_code == 404


def test_the_summary_report_shows_themes_with_counts_and_quotes(client, analysed, cast):
    client.force_login(cast["admin"])
    page = client.get(
        reverse("hearing_responses:report", args=[analysed["hearing"].pk])
    ).content.decode()
    assert "Parkering" in page and "Tilgængelighed" in page
    assert "Flere p-pladser ved rådhuset" in page
    assert "Imødekommes delvist." in page


def test_the_memo_holds_every_response_and_comment_and_opens_as_docx(analysed):
    hearing, responses = analysed["hearing"], analysed["responses"]
    html = draft_html(hearing)
    document = Document(io.BytesIO(memo_docx(hearing)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for source in (html, text):
        for number, response in enumerate(responses, start=1):
            assert response.reference in source
            assert f"Bemærkning nummer {number}." in source
        assert "Imødekommes delvist." in source
        assert "HovedMED" in source and "Handicaprådet" in source
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) >= 5


def test_the_memo_pdf_is_pdfa(analysed):
    content = memo_pdf(analysed["hearing"])
    assert content.startswith(b"%PDF")
    assert pdfa_part(content) == "3"


def test_the_edited_memo_is_what_is_produced(analysed):
    hearing = analysed["hearing"]
    hearing.memo = "<h2>Redigeret notat</h2><p>Kun dette.</p>"
    text = "\n".join(p.text for p in Document(io.BytesIO(memo_docx(hearing))).paragraphs)
    assert "Redigeret notat" in text and "Kun dette." in text


def test_the_command_writes_docx_and_pdf(analysed, tmp_path):
    hearing = analysed["hearing"]
    docx_file, pdf_file = tmp_path / "notat.docx", tmp_path / "notat.pdf"
    call_command("hearing_memo", str(hearing.pk), "--format", "docx", "-o", str(docx_file))
    call_command("hearing_memo", str(hearing.pk), "--format", "pdf", "-o", str(pdf_file))
    assert zipfile.is_zipfile(docx_file)
    Document(str(docx_file))
    assert pdf_file.read_bytes().startswith(b"%PDF")


def test_the_approved_memo_is_filed_once_with_the_conclusion(analysed):
    hearing = analysed["hearing"]
    hearing.memo_approved = True
    hearing.conclusion = "<p>Forslaget vedtages med ændringer.</p>"
    hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.phase == Phase.CONCLUDED
    jobs.run_due_jobs()
    jobs.run_due_jobs()
    jobs.run_due_jobs(now=timezone.now() + timedelta(minutes=5))
    assert FiledDocument.objects.filter(hearing=hearing, source_key="memo").count() == 1
    assert FiledDocument.objects.filter(hearing=hearing, source_key="memo").first().remote_id


def test_no_memo_is_filed_before_it_is_approved(analysed):
    hearing = analysed["hearing"]
    hearing.conclusion = "<p>Vedtaget.</p>"
    hearing.save_revision().publish()
    jobs.run_due_jobs()
    assert not FiledDocument.objects.filter(source_key="memo").exists()


def test_staff_tag_a_response_and_write_the_comment_in_the_admin(client, analysed, cast):
    response = analysed["responses"][0]
    client.force_login(cast["admin"])
    url = reverse("hearing_responses:edit", args=[response.pk])
    form = client.get(url).content.decode()
    assert "Parkering" in form
    client.post(
        url,
        {
            "themes": [analysed["access"].pk],
            "tags": "trafik",
            "administration_comment": "Vi ser på det.",
            "staff_notes": "",
        },
    )
    response.refresh_from_db()
    assert [t.name for t in response.themes.all()] == ["Tilgængelighed"]
    assert response.administration_comment == "Vi ser på det."
    assert [t.name for t in response.tags.all()] == ["trafik"]


def test_themes_screen_adds_a_theme_and_refuses_a_duplicate(client, analysed, cast):
    hearing = analysed["hearing"]
    client.force_login(cast["admin"])
    url = reverse("hearing_responses:themes", args=[hearing.pk])
    assert client.post(url, {"name": "Økonomi", "sort_order": 0}).status_code == 302
    again = client.post(url, {"name": " økonomi ", "sort_order": 0})
    assert again.status_code == 200
    assert [t.name for t in HearingTheme.objects.filter(hearing=hearing)].count("Økonomi") == 1


def test_employees_see_no_rates_themes_or_memo(client, analysed, cast):
    hearing = analysed["hearing"]
    client.force_login(cast["center"])
    for name, args in [
        ("not_answered", [hearing.pk]),
        ("themes", [hearing.pk]),
        ("memo", [hearing.pk, "docx"]),
    ]:
        assert client.get(reverse(f"hearing_responses:{name}", args=args)).status_code in (
            302,
            403,
        )


def test_the_overview_shows_the_response_rate_and_the_seed_writes_a_draft(client, analysed, cast):
    hearing = analysed["hearing"]
    client.force_login(cast["admin"])
    page = client.get(reverse("hearing_responses:hearing", args=[hearing.pk])).content.decode()
    assert 'id="response-rate"' in page and "HovedMED" in page
    seeded = client.post(reverse("hearing_responses:seed_memo", args=[hearing.pk]))
    assert seeded.status_code == 302, seeded.content[:500]
    hearing.refresh_from_db()
    latest = hearing.get_latest_revision_as_object()
    assert analysed["responses"][0].reference in latest.memo


def test_a_theme_on_a_single_answer_counts_and_is_quoted(analysed, party_hearing):
    """Handicaprådet's answer speaks to parking: the answer, not the whole response, is
    marked. The response counts for the theme, the answer is quoted in the report's
    summaries and the memo, and the filters find it."""
    hearing, responses, parking = analysed["hearing"], analysed["responses"], analysed["parking"]
    third = responses[2]
    analysis.set_answer_themes(third, "opinion", [parking])
    analysis.set_answer_themes(third, "opinion", [parking])  # idempotent
    assert third.answer_themes.count() == 1

    summary = next(s for s in analysis.theme_summaries(hearing) if s.theme == parking)
    assert summary.count == 3
    assert (third.reference, "Adgangsforholdene skal være trinfri.") == summary.quotes[0]
    assert set(analysis.filter_by_theme(hearing.responses.all(), parking)) == set(responses)
    table = list(tabular.rows(hearing, theme=parking))
    assert third.reference in [row[0] for row in table[1:]]
    assert "Tilgængelighed, Parkering" in next(r for r in table if r[0] == third.reference)

    html = draft_html(hearing)
    parking_section = html.split("<h3>Parkering</h3>")[1].split("<h3>")[0]
    assert third.reference in parking_section
    assert "Adgangsforholdene skal være trinfri." in parking_section

    # A theme of another hearing is never set; clearing removes the mark.
    other = HearingTheme.objects.create(hearing=party_hearing(response_form=FORM), name="X")
    analysis.set_answer_themes(third, "opinion", [other])
    assert list(third.answer_themes.values_list("theme", flat=True)) == []
    analysis.set_answer_themes(third, "opinion", [])
    assert not third.answer_themes.exists()
    summary = next(s for s in analysis.theme_summaries(hearing) if s.theme == parking)
    assert summary.count == 2


def test_an_answer_without_a_response_in_the_untagged_count(analysed):
    hearing, responses = analysed["hearing"], analysed["responses"]
    responses[0].themes.clear()
    assert responses[0] in analysis.untagged(hearing)
    analysis.set_answer_themes(responses[0], "opinion", [analysed["access"]])
    assert responses[0] not in analysis.untagged(hearing)


def test_staff_mark_an_answer_with_a_theme_in_the_admin(client, analysed, cast):
    response, access = analysed["responses"][0], analysed["access"]
    client.force_login(cast["admin"])
    url = reverse("hearing_responses:answer_themes", args=[response.pk])
    form = client.get(url).content.decode()
    assert "Bemærkninger" in form and "Flere p-pladser" in form
    # A theme id of nothing, and a field that is no answer, are refused or ignored.
    bad = client.post(url, {"answer_0": ["999999"], "answer_7": [str(access.pk)]})
    assert bad.status_code == 200 and not response.answer_themes.exists()
    assert client.post(url, {"answer_0": [str(access.pk)]}).status_code == 302
    assert [(r.question_id, r.theme) for r in response.answer_themes.all()] == [
        ("opinion", access)
    ]
    client.force_login(cast["center"])
    assert client.get(url).status_code in (302, 403, 404)


def test_the_memo_lists_a_party_without_a_response_as_no_comments_received(party_hearing):
    """No response from either party: each is listed among those heard with
    "ingen bemærkninger modtaget"."""
    hearing = party_hearing(response_form=FORM)
    html = draft_html(hearing)
    heard = html.split("<h2>2.")[1].split("<h2>")[0]
    assert "<b>HovedMED</b>: ingen bemærkninger modtaget" in heard
    assert "<b>Handicaprådet</b>: ingen bemærkninger modtaget" in heard


def test_the_memo_lists_the_party_that_answered_with_its_reference(analysed):
    html = draft_html(analysed["hearing"])
    heard = html.split("<h2>2.")[1].split("<h2>")[0]
    reference = analysed["responses"][1].reference
    assert f"<b>HovedMED</b>: svar modtaget ({reference})" in heard
