"""The hearing in Wagtail's page editor: an approver approves from the editor's own menu,
and a hearing never published can be previewed.

The editor's script posts every block of a StreamField as prefixed form fields built
from the block's form state; ``posted_edit_form`` sends the same, so a form posted back
unchanged is what a person who only clicks "Godkend" sends.
"""

import re
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.blocks.base import BlockField
from wagtail.blocks.struct_block import StructBlockValidationError

from hearings.blocks.questions import ResponseFormBlock
from hearings.editing import without_block_keys
from hearings.models import HearingPage
from tests.fixtures.responding import every_question_form


def _block_data(block, state, prefix, data):
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            item = f"{prefix}-{index}"
            data[f"{item}-type"] = child["type"]
            data[f"{item}-id"] = child["id"] or ""
            data[f"{item}-deleted"] = ""
            data[f"{item}-order"] = str(index)
            _block_data(block.child_blocks[child["type"]], child["value"], f"{item}-value", data)
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            item = f"{prefix}-{index}"
            data[f"{item}-id"] = child["id"] or ""
            data[f"{item}-deleted"] = ""
            data[f"{item}-order"] = str(index)
            _block_data(block.child_block, child["value"], f"{item}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_data(child, state[name], f"{prefix}-{name}", data)
    else:
        _field_data(prefix, state, data)


def _field_data(name, value, data):
    if isinstance(value, bool):
        if value:
            data[name] = "on"
    elif isinstance(value, (list, tuple)):
        data.setlist(name, [str(item) for item in value])
    elif isinstance(value, dict):  # a chooser's state
        data[name] = str(value.get("id") or "")
    else:
        data[name] = "" if value is None else str(value)


def posted_edit_form(page, user):
    """What the page editor posts for ``page`` when nothing has been changed."""
    page = page.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        bound = form[name]
        if isinstance(field, BlockField):
            _block_data(field.block, field.block.get_form_state(bound.initial), name, data)
        elif isinstance(field.widget.format_value(bound.value()), (list, tuple)):
            _field_data(name, bound.value(), data)
        elif isinstance(bound.value(), bool):
            _field_data(name, bound.value(), data)
        elif getattr(field.widget, "accepts_features", False) and not bound.value():
            data[name] = "null"  # what Draftail posts for an empty editor
        else:
            _field_data(name, field.widget.format_value(bound.value()), data)
    for formset in form.formsets.values():
        for key, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(key)] = str(value)
    return dict(data.lists())  # the test client posts a list as repeated fields


def in_whole_minutes():
    """Opening and deadline as the editor's date picker gives them (no seconds)."""
    now = timezone.now().replace(second=0, microsecond=0)
    return {"opens_at": now + timedelta(days=2), "closes_at": now + timedelta(days=9)}


def test_every_question_type_reads_back_from_the_editor_unchanged(consent_text):
    block = ResponseFormBlock()
    stored = block.to_python(every_question_form(consent_text))
    data = QueryDict(mutable=True)
    _block_data(block, block.get_form_state(stored), "response_form", data)

    posted = block.value_from_datadict(data, {}, "response_form")

    # Numbers come back as numbers; rich text comes back with the editor's block keys.
    assert posted[2].value["max_length"] == 50
    assert posted[6].value["min_value"] == 1
    assert without_block_keys(block.get_prep_value(posted)) == block.get_prep_value(stored)


def test_a_number_typed_wrong_is_still_refused():
    block = ResponseFormBlock().child_blocks["short_text"]
    data = QueryDict(mutable=True)
    data.update({"q-label": "Titel", "q-help_text": "", "q-required": "on"})
    data["q-max_length"] = "mange"
    value = block.value_from_datadict(data, {}, "q")
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert "max_length" in refused.value.block_errors


def test_an_approver_approves_from_the_page_editor_and_the_hearing_is_published(
    client, make_hearing, make_user, departments, consent_text
):
    editor = make_user("editor", departments["other"], groups=["Hearing editors"])
    approver = make_user("approver", departments["other"], groups=["Hearing approvers"])
    hearing = make_hearing(title="Ny parkeringsordning", live=False, **in_whole_minutes())
    hearing.response_form = every_question_form(consent_text)
    hearing.save_revision(user=editor)
    hearing.get_workflow().start(hearing, editor)
    revisions = hearing.revisions.count()

    client.force_login(approver)
    data = posted_edit_form(hearing, approver)
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[hearing.pk]), data)

    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.revisions.count() == revisions, "an unchanged form saves no new revision"
    assert not hearing.workflow_in_progress
    assert hearing.live


def test_a_hearing_never_published_can_be_previewed_by_its_editor(
    client, make_hearing, make_user, departments
):
    editor = make_user("editor", departments["other"], groups=["Hearing editors"])
    hearing = make_hearing(
        title="Ny parkeringsordning",
        live=False,
        departments=[departments["center"]],
        **in_whole_minutes(),
    )
    assert hearing.first_published_at is None
    client.force_login(editor)

    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=[hearing.pk]))
    assert draft.status_code == 200
    assert "Ny parkeringsordning" in draft.content.decode()

    # The preview panel posts the form, then shows the page built from it.
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[hearing.pk])
    posted = client.post(preview_url, posted_edit_form(hearing, editor))
    assert posted.json()["is_valid"]
    shown = client.get(preview_url)
    assert shown.status_code == 200
    assert "Ny parkeringsordning" in shown.content.decode()
    # The form is shown as the audience will see it, but cannot be handed in: it would
    # post to the hearing's address, which a hearing never published does not have.
    html = shown.content.decode()
    assert "Dette er en forhåndsvisning" in html
    assert re.search(r'<button type="submit" name="action" value="submit"[^>]* disabled>', html)
    # The panel is a frame of the admin: the public policy's "no frames" would blank it.
    assert "frame-ancestors 'self'" in shown["Content-Security-Policy"]
