"""A new question type is one class and its template: the form, the stored answer, the
API, the receipt, the exports and the report all ask the block, never the type's name.

The test adds a "priority" question (low / medium / high) that exists nowhere in the app
and answers it through the hearing page and the responses API.
"""

import json

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from hearings import reports
from hearings.blocks.questions import QuestionBlock, ResponseFormBlock, answer_text, field_name
from hearings.exports import tabular
from hearings.models import HearingPage, HearingResponse
from tests.fixtures.responding import question

pytestmark = pytest.mark.django_db


class PriorityQuestionBlock(QuestionBlock):
    """How urgent is it? One of three fixed levels, counted in the report."""

    LEVELS = [("low", "Lav"), ("medium", "Mellem"), ("high", "Høj")]
    grouped_input = True

    class Meta:
        label = gettext_lazy("Priority")

    def form_field(self, value, **common):
        return forms.ChoiceField(choices=self.LEVELS, widget=forms.RadioSelect, **common)

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id)) or ""
        return {"value": raw, "display": dict(self.LEVELS).get(raw, "")}

    def report_choices(self, value):
        return self.LEVELS


TEMPLATE = '{% extends "hearings/responding/questions/_choice_group.html" %}'


@pytest.fixture
def priority_type(monkeypatch, settings, tmp_path):
    """Register the new type as a line in ``ResponseFormBlock`` would, with its template."""
    block = PriorityQuestionBlock()
    block.set_name("priority")
    monkeypatch.setitem(ResponseFormBlock.base_blocks, "priority", block)
    stream_block = HearingPage._meta.get_field("response_form").stream_block
    monkeypatch.setitem(stream_block.child_blocks, "priority", block)
    folder = tmp_path / "templates" / "hearings" / "responding" / "questions"
    folder.mkdir(parents=True)
    (folder / "priority.html").write_text(TEMPLATE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return block


@pytest.fixture
def priority_hearing(priority_type, make_hearing, departments):
    return make_hearing(
        departments=[departments["team"]],
        response_form=[
            question("short_text", "short", "Din titel", max_length=50),
            question("priority", "urgency", "Hvor hastende er det?"),
        ],
    )


@pytest.fixture
def employee(make_user, departments):
    return make_user("emma", department=departments["team"])


def test_the_new_type_is_answered_on_the_hearing_page(client, priority_hearing, employee):
    client.force_login(employee)
    page = client.get(priority_hearing.url).content.decode()
    assert 'name="q-urgency" value="high"' in page and "Høj" in page

    missing = client.post(priority_hearing.url, {"token": "a" * 32, "q-short": "Leder"})
    assert missing.status_code == 200
    assert 'href="#id_q-urgency-0"' in missing.content.decode()  # the summary links the group
    assert not HearingResponse.objects.exists()

    done = client.post(
        priority_hearing.url,
        {
            "token": "b" * 32,
            "q-short": "Leder",
            "q-urgency": "high",
        },
    )
    assert done.status_code == 302
    response = HearingResponse.objects.get()
    assert response.answers["urgency"] == {
        "type": "priority",
        "label": "Hvor hastende er det?",
        "value": "high",
        "display": "Høj",
    }
    receipt = client.get(done.url).content.decode()
    assert "Hvor hastende er det?" in receipt and "Høj" in receipt


def test_the_new_type_is_answered_through_the_api_and_read_everywhere(
    client, priority_hearing, employee
):
    client.force_login(employee)
    wrong = client.post(
        f"/api/v1/hearings/{priority_hearing.pk}/responses",
        json.dumps({"answers": {"short": "Leder", "urgency": ["high"]}}),
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "urgency" in wrong.json()["errors"]

    created = client.post(
        f"/api/v1/hearings/{priority_hearing.pk}/responses",
        json.dumps({"answers": {"short": "Leder", "urgency": "medium"}}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    answer = created.json()["answers"]["urgency"]
    assert answer["display"] == "Mellem"

    schema = client.get(f"/api/v2/hearings/{priority_hearing.pk}/").json()["form_schema"]
    assert {"id": "urgency", "type": "priority"}.items() <= schema[1].items()

    assert answer_text(answer) == "Mellem"
    header, row = list(tabular.rows(priority_hearing))
    # The last question column, before themes, free tags and the administration's comment.
    assert header[-4] == "Hvor hastende er det?" and row[-4] == "Mellem"

    [chart] = reports.per_choice(priority_hearing)
    assert chart.title == "Hvor hastende er det?"
    assert [(bar.label, bar.count) for bar in chart.bars] == [
        ("Lav", 0),
        ("Mellem", 1),
        ("Høj", 0),
    ]
