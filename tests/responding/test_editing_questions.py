"""Editors reword questions freely, but cannot make answers lose their question."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from hearings import registering, responding
from hearings.blocks.questions import form_version
from hearings.models import Channel, HearingPage, HearingType, ResponseFormTemplate

pytestmark = pytest.mark.django_db


def stream_data(prefix, blocks):
    """Admin form data for a response-form stream: [(type, id, value dict)]."""
    data = {f"{prefix}-count": str(len(blocks))}
    for index, (kind, block_id, value) in enumerate(blocks):
        item = f"{prefix}-{index}"
        data.update(
            {
                f"{item}-type": kind,
                f"{item}-id": block_id,
                f"{item}-deleted": "",
                f"{item}-order": str(index),
            }
        )
        for key, field_value in value.items():
            if key == "options":
                data[f"{item}-value-options-count"] = str(len(field_value))
                for number, (option_id, label) in enumerate(field_value):
                    option = f"{item}-value-options-{number}"
                    data.update(
                        {
                            f"{option}-value": label,
                            f"{option}-id": option_id,
                            f"{option}-deleted": "",
                            f"{option}-order": str(number),
                        }
                    )
            elif isinstance(field_value, bool):
                if field_value:
                    data[f"{item}-value-{key}"] = "on"
            elif isinstance(field_value, list):
                data[f"{item}-value-{key}"] = field_value
            else:
                data[f"{item}-value-{key}"] = str(field_value)
    return data


def page_form(page, blocks, user, hearing_type=None, parent=None):
    form_class = HearingPage.get_edit_handler().get_form_class()
    data = {
        "title": page.title or "Ny høring",
        "slug": page.slug or "ny-hoering",
        "summary": page.summary or "Resumé",
        "opens_at": page.opens_at.strftime("%Y-%m-%d %H:%M"),
        "closes_at": page.closes_at.strftime("%Y-%m-%d %H:%M"),
        "audience": "internal",
        "publish_responses": page.publish_responses,
        "published_respondent_details": page.published_respondent_details,
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    if hearing_type:
        data["hearing_type"] = str(hearing_type.pk)
    data.update(stream_data("response_form", blocks))
    return form_class(data, instance=page, for_user=user, parent_page=parent or page.get_parent())


def refusals(form):
    """The editor's messages on the response form (shown above its blocks)."""
    error = form.errors["response_form"].as_data()[0]
    return " ".join(m for e in error.non_block_errors.as_data() for m in e.messages)


def text(label):
    return {"label": label, "help_text": "", "required": True, "max_length": 100}


def choice(label, options):
    return {"label": label, "help_text": "", "required": True, "options": options}


def prefers_english(user):
    """The admin speaks the user's chosen language (Danish by default): English here,
    the source language the assertions are written in."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor(make_user):
    return make_user("editor", groups=["Hearing editors"], is_staff=False)


@pytest.fixture
def answered_hearing(make_hearing, departments, audience):
    hearing = make_hearing(departments=[departments["center"]])
    hearing.response_form = [
        {"type": "short_text", "id": "title", "value": text("Din titel")},
        {
            "type": "single_choice",
            "id": "days",
            "value": {
                **choice("Hvor mange dage?", []),
                "options": [
                    {"type": "item", "id": "one", "value": "Én"},
                    {"type": "item", "id": "two", "value": "To"},
                    {"type": "item", "id": "three", "value": "Tre"},
                ],
            },
        },
        {"type": "short_text", "id": "unused", "value": {**text("Ubesvaret"), "required": False}},
    ]
    hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)
    answers = {
        "title": {"type": "short_text", "label": "Din titel", "value": "Pædagog"},
        "days": {"type": "single_choice", "label": "Hvor mange dage?", "value": "two"},
    }
    responding.submit(
        audience["employee"], hearing, answers, token=uuid.uuid4(), send_receipt=False
    )
    return hearing


OPTIONS = [("one", "Én"), ("two", "To"), ("three", "Tre")]


def test_rewording_answered_questions_and_options_is_allowed(answered_hearing, editor):
    form = page_form(
        answered_hearing,
        [
            ("short_text", "title", text("Hvad er din stillingsbetegnelse?")),
            ("single_choice", "days", choice("Antal dage", [("one", "1"), ("two", "2 dage")])),
        ],
        editor,
    )
    assert form.is_valid(), form.errors


def test_removing_an_answered_question_is_refused_with_a_clear_message(answered_hearing, editor):
    form = page_form(
        answered_hearing, [("single_choice", "days", choice("Hvor mange dage?", OPTIONS))], editor
    )
    assert not form.is_valid()
    assert 'The question "Din titel" has answers and cannot be removed.' in refusals(form)


def test_a_registered_letter_holds_no_question_back(answered_hearing, editor, make_user):
    """A letter's text and files are its own, not answers to the form's questions: the
    form stays as editable as it was (the page editor refused every save before)."""
    staff = make_user("registrar", is_superuser=True)
    registering.register(
        staff,
        answered_hearing,
        registering.Registration(
            channel=Channel.LETTER,
            sender_name="Lise Andersen",
            sender_organisation="Handicaprådet",
            received_at=timezone.now() - timedelta(days=1),
            text="Rådet ønsker flere handicapparkeringspladser.",
        ),
    )
    form = page_form(
        answered_hearing,
        [
            ("short_text", "title", text("Din titel")),
            ("single_choice", "days", choice("Hvor mange dage?", OPTIONS)),
        ],
        editor,
    )
    assert form.is_valid(), form.errors


def test_removing_a_chosen_option_is_refused(answered_hearing, editor):
    form = page_form(
        answered_hearing,
        [
            ("short_text", "title", text("Din titel")),
            (
                "single_choice",
                "days",
                choice("Hvor mange dage?", [("one", "Én"), ("three", "Tre")]),
            ),
        ],
        editor,
    )
    assert not form.is_valid()
    assert "cannot be removed" in refusals(form)


def test_changing_the_type_of_an_answered_question_is_refused(answered_hearing, editor):
    form = page_form(
        answered_hearing,
        [
            ("long_text", "title", {**text("Din titel"), "max_length": 500}),
            ("single_choice", "days", choice("Hvor mange dage?", OPTIONS)),
        ],
        editor,
    )
    assert not form.is_valid()
    assert "type cannot be changed" in str(
        form.errors["response_form"].as_data()[0].non_block_errors
    )


def test_an_unanswered_question_and_option_can_be_removed(answered_hearing, editor):
    form = page_form(
        answered_hearing,
        [
            ("short_text", "title", text("Din titel")),
            ("single_choice", "days", choice("Hvor mange dage?", [("one", "Én"), ("two", "To")])),
        ],
        editor,
    )
    assert form.is_valid(), form.errors


def test_answers_survive_label_edits(client, answered_hearing, audience):
    response = answered_hearing.responses.get()
    version_before = form_version(answered_hearing.response_form)
    answered_hearing.response_form = [
        {"type": "short_text", "id": "title", "value": text("Stillingsbetegnelse")},
        {
            "type": "single_choice",
            "id": "days",
            "value": {
                **choice("Antal dage", []),
                "options": [
                    {"type": "item", "id": "one", "value": "1 dag"},
                    {"type": "item", "id": "two", "value": "2 dage"},
                    {"type": "item", "id": "three", "value": "3 dage"},
                ],
            },
        },
    ]
    answered_hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=answered_hearing.pk)
    assert form_version(hearing.response_form) != version_before

    # The stored answer keeps its question and option, by id, with the label it was given to.
    response.refresh_from_db()
    assert response.answers["days"]["value"] == "two"
    assert response.answers["title"]["label"] == "Din titel"

    # The amend form finds the answers under the new wording.
    client.force_login(audience["employee"])
    html = client.get(hearing.url + hearing.reverse_subpage("amend", args=[response.pk]))
    html = html.content.decode()
    assert "Stillingsbetegnelse" in html and 'value="Pædagog"' in html
    assert 'id="id_q-days-1" name="q-days" value="two" checked' in html
    assert "2 dage" in html


def test_a_new_hearing_starts_with_the_questions_of_its_types_template(
    hearing_index, editor, consent_text
):
    template = ResponseFormTemplate.objects.create(name="Standard")
    template.questions = [
        {"type": "short_text", "id": "tpl-1", "value": text("Dit navn")},
        {"type": "yes_no", "id": "tpl-2", "value": {**text("Enig?")}},
    ]
    template.save()
    hearing_type = HearingType.objects.create(name="Politik", default_form_template=template)
    from django.utils import timezone

    now = timezone.now()
    new_page = HearingPage(
        opens_at=now + timezone.timedelta(days=1), closes_at=now + timezone.timedelta(days=9)
    )
    form = page_form(new_page, [], editor, hearing_type=hearing_type, parent=hearing_index)
    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    assert [child.block_type for child in page.response_form] == ["short_text", "yes_no"]
    assert page.response_form[0].value["label"] == "Dit navn"
    # The hearing's copy has its own ids: answers never point at the template.
    assert page.response_form[0].id not in ("tpl-1", None)


def test_hearing_editors_group_exists():
    assert Group.objects.filter(name="Hearing editors").exists()


def test_the_editor_shows_the_refusal_when_an_answered_question_is_removed(
    client, answered_hearing, make_user
):
    admin = prefers_english(make_user("admin", is_superuser=True, is_staff=True))
    client.force_login(admin)
    data = page_form(
        answered_hearing, [("single_choice", "days", choice("Hvor mange dage?", OPTIONS))], admin
    ).data
    response = client.post(f"/admin/pages/{answered_hearing.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "has answers and cannot be removed" in html
    stored = HearingPage.objects.get(pk=answered_hearing.pk)
    assert [child.id for child in stored.get_latest_revision_as_object().response_form] == [
        "title",
        "days",
        "unused",
    ]


def test_a_hearing_with_responses_cannot_be_deleted_in_the_admin(
    client, answered_hearing, make_user
):
    admin = make_user("admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/pages/{answered_hearing.pk}/delete/", {"confirm_site_name": "x"}
    )
    assert response.status_code == 302
    assert response.url == f"/admin/pages/{answered_hearing.pk}/edit/"
    assert HearingPage.objects.filter(pk=answered_hearing.pk).exists()
    assert answered_hearing.responses.count() == 1


def test_editors_reach_the_response_form_snippets_and_tab(client, answered_hearing, editor):
    client.force_login(prefers_english(editor))
    for url in (
        "/admin/snippets/hearings/responseformtemplate/add/",
        "/admin/snippets/hearings/consenttext/add/",
        f"/admin/pages/{answered_hearing.pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url
    edit = client.get(f"/admin/pages/{answered_hearing.pk}/edit/").content.decode()
    assert "Response form" in edit


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_new_choice_question_starts_with_the_two_options_it_needs(kind):
    """It started with one and showed "there must be at least 2 items" at once."""
    from hearings.blocks.questions import ResponseFormBlock

    block = ResponseFormBlock().child_blocks[kind]
    options = block.child_blocks["options"]
    assert options.meta.min_num == 2
    assert len(block.get_default()["options"]) == 2
