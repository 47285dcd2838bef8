"""Exports: one column per question across form versions, safe against formula injection."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hearings.exports import pdf
from hearings.models import HearingPage

from .conftest import FORM, answers, question, submit

FIXED_COLUMNS = 10
ANALYSIS_COLUMNS = 3  # themes, free tags, the administration's comment: after the answers


def download(client, hearing, kind):
    answer = client.get(reverse("hearing_responses:export", args=[hearing.pk, kind]))
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def csv_rows(client, hearing):
    text = download(client, hearing, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(client, hearing):
    workbook = load_workbook(io.BytesIO(download(client, hearing, "xlsx")))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def changed_form(hearing, people):
    """One answer to the first form; then a question added in front and one reworded."""
    first = submit(
        people["employee"],
        hearing,
        answers(
            opinion="Før ændringen",
            legacy={"type": "short_text", "label": "Gammelt spørgsmål", "value": "Gammelt svar"},
        ),
    )
    new_form = [question("short_text", "extra", "Nyt spørgsmål"), *FORM]
    new_form[1] = question("short_text", "opinion", "Din mening om forslaget")
    hearing.response_form = new_form
    hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)
    extra = {
        "type": "short_text",
        "label": "Nyt spørgsmål",
        "value": "Nyt svar",
        "display": "Nyt svar",
    }
    second = submit(people["colleague"], hearing, answers(opinion="Efter ændringen", extra=extra))
    return hearing, first, second


@pytest.mark.django_db
@pytest.mark.parametrize("reader", [csv_rows, xlsx_rows])
def test_columns_stay_right_after_the_form_changed(client, people, changed_form, reader):
    hearing, first, second = changed_form
    client.force_login(people["moderator"])
    header, *rows = reader(client, hearing)
    assert header[FIXED_COLUMNS:-ANALYSIS_COLUMNS] == [
        "Nyt spørgsmål",
        "Din mening om forslaget",
        "Er du enig?",
        "Hvor vigtigt?",
        "Gammelt spørgsmål",
    ]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    before, after = by_reference[first.reference], by_reference[second.reference]
    assert before["Din mening om forslaget"] == "Før ændringen"
    assert before["Nyt spørgsmål"] in ("", None)
    assert before["Gammelt spørgsmål"] == "Gammelt svar"
    assert after["Din mening om forslaget"] == "Efter ændringen"
    assert after["Nyt spørgsmål"] == "Nyt svar"
    assert after["Er du enig?"] == "Ja, helt"
    assert after["Gammelt spørgsmål"] in ("", None)


EVIL = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTAB", "\rCR"]


ON_BEHALF_OF_NAME = 7  # the fixed columns' position of "on behalf of (name)"


@pytest.mark.django_db
@pytest.mark.parametrize("reader", [csv_rows, xlsx_rows])
def test_cells_that_could_be_formulas_are_neutralised(
    client, people, hearing, departments, make_user, reader
):
    for number, evil in enumerate(EVIL):
        user = make_user(f"svarer{number}", department=departments["team"])
        submit(user, hearing, answers(opinion=evil), on_behalf_of=("organisation", evil))
    client.force_login(people["moderator"])
    header, *rows = reader(client, hearing)
    opinions = [row[header.index("Din mening")] for row in rows]
    names = [row[ON_BEHALF_OF_NAME] for row in rows]
    assert sorted(opinions) == sorted("'" + evil for evil in EVIL)
    assert sorted(names) == sorted("'" + evil for evil in EVIL)


@pytest.mark.django_db
def test_the_xlsx_holds_no_formulas(client, people, hearing):
    submit(people["employee"], hearing, answers(opinion="=1+1"))
    client.force_login(people["moderator"])
    workbook = load_workbook(io.BytesIO(download(client, hearing, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


@pytest.mark.django_db
def test_the_pdf_holds_every_response(client, people, hearing, response):
    client.force_login(people["moderator"])
    second = submit(people["colleague"], hearing, answers(opinion="Andet svar"))
    assert download(client, hearing, "pdf").startswith(b"%PDF")
    html = pdf.responses_html(hearing)
    assert response.reference in html
    assert second.reference in html
    assert "Andet svar" in html


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_every_download_is_an_attachment_named_with_the_hearings_own_letters(
    client, people, hearing, response, kind
):
    hearing.title = "Ny ferieplanlægning på Østergård"
    hearing.save_revision().publish()
    client.force_login(people["moderator"])
    answer = client.get(reverse("hearing_responses:export", args=[hearing.pk, kind]))
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 5987: the UTF-8 name, percent-encoded (æ = %C3%A6, Ø→ø = %C3%B8, å = %C3%A5).
    assert (
        f"filename*=utf-8''ny-ferieplanl%C3%A6gning-p%C3%A5-%C3%B8sterg%C3%A5rd-{hearing.pk}.{kind}"
        in disposition
    )


@pytest.mark.django_db
def test_the_xlsx_has_column_widths_a_frozen_header_and_a_filter(client, people, hearing):
    submit(people["employee"], hearing, answers(opinion="Et ret langt svar " * 20))
    submit(people["colleague"], hearing, answers(opinion="Kort"))
    client.force_login(people["moderator"])
    sheet = load_workbook(io.BytesIO(download(client, hearing, "xlsx"))).active
    assert sheet.freeze_panes == "A2"
    last_column = sheet.cell(row=1, column=sheet.max_column).column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}3"
    header = [cell.value for cell in sheet[1]]
    opinion = sheet.cell(row=1, column=header.index("Din mening") + 1).column_letter
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", opinion)}
    assert 10 <= widths["A"] < 30  # a reference
    assert widths[opinion] == 60  # a long answer, capped
    assert sheet["A1"].font.bold
