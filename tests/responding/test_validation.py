"""Each question type checks its answer, and errors are shown where the person can fix them."""

import uuid

import pytest
from django.http import QueryDict

from hearings.forms import ResponseForm

from .conftest import valid_post

pytestmark = pytest.mark.django_db


def form_for(hearing, user=None, **changes):
    data = QueryDict(mutable=True)
    for key, value in valid_post(uuid.uuid4(), **changes).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return ResponseForm(hearing, user=user, data=data)


def test_the_complete_answer_is_valid(open_hearing):
    form = form_for(open_hearing)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("q-short", "", "This field is required."),
        ("q-short", "x" * 51, "at most 50 characters"),
        ("q-long", "x" * 201, "at most 200 characters"),
        ("q-single", None, "This field is required."),
        ("q-single", "bogus", "Select a valid choice."),
        ("q-multi", [], "This field is required."),
        ("q-multi", ["pc", "phone", "screen"], "Choose at most 2 options."),
        ("q-multi", ["pc", "bogus"], "Select a valid choice."),
        ("q-scale", "6", "Select a valid choice."),
        ("q-scale", "0", "Select a valid choice."),
        ("q-yesno", "maybe", "Select a valid choice."),
        ("q-consent", None, "This field is required."),
        ("q-behalf", "someone", "Select a valid choice."),
    ],
)
def test_an_invalid_answer_is_refused_on_its_field(open_hearing, field, value, message):
    form = form_for(open_hearing, **{field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_answering_for_an_organisation_needs_its_name(open_hearing):
    form = form_for(open_hearing, **{"q-behalf": "organisation"})
    assert not form.is_valid()
    assert "Write the name" in " ".join(form.errors["q-behalf-name"])
    form = form_for(open_hearing, **{"q-behalf": "organisation", "q-behalf-name": "Fagforeningen"})
    assert form.is_valid(), form.errors
    assert form.on_behalf_of() == ("organisation", "Fagforeningen")
    assert form.answers()["behalf"]["value"] == {"kind": "organisation", "name": "Fagforeningen"}


def test_answering_for_my_department_names_it_for_me(open_hearing, audience):
    form = form_for(open_hearing, user=audience["employee"], **{"q-behalf": "department"})
    assert form.is_valid(), form.errors
    assert form.on_behalf_of() == ("department", "Team")


def test_a_multiple_choice_with_a_minimum(open_hearing):
    stream = open_hearing.response_form
    stream[5].value["min_choices"] = 2  # "multi"
    form = form_for(open_hearing, **{"q-multi": ["pc"]})
    assert not form.is_valid()
    assert "Choose at least 2 options." in form.errors["q-multi"]


def test_a_required_file_question_needs_a_file(open_hearing):
    open_hearing.response_form[8].value["required"] = True  # "files"
    form = form_for(open_hearing)
    assert not form.is_valid()
    assert "Attach at least one file." in form.errors["q-files"]


def test_optional_questions_may_be_left_empty_and_are_stored_empty(open_hearing):
    open_hearing.response_form[2].value["required"] = False  # "short"
    form = form_for(open_hearing, **{"q-short": ""})
    assert form.is_valid(), form.errors
    assert form.answers()["short"] == {
        "type": "short_text",
        "label": "Din titel",
        "value": "",
        "display": "",
    }


def test_the_stored_answer_keeps_ids_labels_and_the_consent_version(open_hearing, consent_text):
    form = form_for(open_hearing)
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert set(answers) == {
        "behalf", "short", "long", "single", "multi", "scale", "yesno", "files", "consent"
    }  # fmt: skip
    assert answers["multi"]["choices"] == [
        {"id": "pc", "label": "Bærbar"},
        {"id": "screen", "label": "Skærm"},
    ]
    assert answers["scale"]["value"] == 4
    assert answers["yesno"]["value"] == "yes"
    assert answers["consent"]["consent_text_id"] == consent_text.pk
    assert answers["consent"]["consent_version"] == 1
    assert "offentliggjort" in answers["consent"]["consent_text"]
    assert all(answer["label"] for answer in answers.values())


def test_a_changed_consent_text_gets_a_new_version(consent_text):
    consent_text.title = "Ny titel"
    consent_text.save()
    assert consent_text.version == 1
    consent_text.text = "<p>Ændrede vilkår.</p>"
    consent_text.save()
    assert consent_text.version == 2


def test_errors_are_shown_per_field_with_a_summary_linking_to_each_and_input_is_kept(
    client, open_hearing, audience
):
    client.force_login(audience["employee"])
    data = valid_post(uuid.uuid4(), **{"q-short": "", "q-single": None, "q-long": "Min tekst"})
    page = client.post(open_hearing.url, data)
    assert page.status_code == 200
    html = page.content.decode()
    # The summary at the top links to the fields.
    assert 'data-module="error-summary"' in html
    assert '<a href="#id_q-short">Din titel: This field is required.</a>' in html
    assert 'href="#id_q-single-0"' in html
    # Each field shows its own error, tied to it for screen readers.
    assert 'id="id_q-short-error"' in html
    assert 'aria-describedby="id_q-short-hint id_q-short-error"' in html
    # What was typed and chosen is still there.
    assert "Min tekst</textarea>" in html
    assert 'value="screen" checked' in html
    assert 'value="yes" checked' in html


def test_the_form_schema_describes_every_question_with_stable_ids(open_hearing, consent_text):
    import json

    from hearings.blocks.questions import form_schema

    schema = form_schema(open_hearing.response_form)
    json.dumps(schema)  # plain data, ready for an API
    by_id = {entry["id"]: entry for entry in schema}
    assert by_id["intro"]["type"] == "information"
    assert by_id["single"]["options"][1] == {"id": "two", "label": "To dage"}
    assert by_id["multi"]["max_choices"] == 2
    assert by_id["scale"]["min_label"] == "Helt uenig"
    assert by_id["files"]["allowed_types"][0] == "pdf"
    assert by_id["consent"]["consent_text"] == {
        "id": consent_text.pk,
        "version": 1,
        "text": "Dit svar kan blive offentliggjort.",
    }
