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
    assert header[FIXED_COLUMNS:] == [
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
