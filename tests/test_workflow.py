"""The editorial workflow: editors write, approvers sign off, approval publishes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from hearings.models import HearingIndexPage, HearingPage


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def hearing_form(**overrides):
    now = timezone.now()
    data = {
        "title": "Ny parkeringsordning",
        "slug": "ny-parkeringsordning",
        "summary": "Forslag til nye regler for parkering.",
        "body": streamfield([]),
        "response_form": streamfield([]),
        "opens_at": local(now + timedelta(days=2)),
        "closes_at": local(now + timedelta(days=10)),
        "audience": "internal",
        "publish_responses": "never",
        "published_respondent_details": "none",
        "kle_number": "05.00.05",
        "conclusion": rich_text(""),
        "esdh_case_number": "",
        "esdh_case_title": "",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def editor(make_user, departments):
    return make_user("editor", departments["other"], groups=["Hearing editors"])


@pytest.fixture
def approver(make_user, departments):
    return make_user("approver", departments["other"], groups=["Hearing approvers"])


def create(client, index, **overrides):
    url = reverse("wagtailadmin_pages:add", args=["hearings", "hearingpage", index.pk])
    return client.post(url, hearing_form(**overrides))


def approve(client, hearing):
    hearing = HearingPage.objects.get(pk=hearing.pk)
    task_state = hearing.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[hearing.pk, "approve", task_state.pk]
    )
    return client.post(url, {"comment": ""})


def test_the_hearing_index_has_the_hearing_approval_workflow(hearing_index):
    workflow = hearing_index.get_workflow()
    assert workflow == Workflow.objects.get(name="Godkendelse af høring")
    task = workflow.tasks.get().specific
    assert task.name == "Godkendelse ved høringsgodkendere"
    assert [g.name for g in task.groups.all()] == ["Hearing approvers"]


def test_an_editor_cannot_publish_a_hearing_alone(client, editor, hearing_index):
    client.force_login(editor)
    response = create(client, hearing_index, **{"action-publish": "publish"})
    assert response.status_code in (200, 302)
    hearing = HearingPage.objects.get(slug="ny-parkeringsordning")
    assert not hearing.live
    assert not hearing.permissions_for_user(editor).can_publish()


def test_editor_submits_and_the_approval_publishes_the_hearing(
    client, editor, approver, hearing_index
):
    client.force_login(editor)
    response = create(client, hearing_index, **{"action-submit": "submit"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    hearing = HearingPage.objects.get(slug="ny-parkeringsordning")
    assert hearing.workflow_in_progress
    assert not hearing.live

    client.force_login(approver)
    assert approve(client, hearing).status_code in (200, 302)
    hearing.refresh_from_db()
    assert hearing.live
    # Published before its opening time: upcoming, and visible to its audience.
    assert hearing.phase == "upcoming"


def test_an_approved_hearing_with_a_go_live_time_publishes_at_that_time(
    client, editor, approver, hearing_index
):
    go_live = timezone.now() + timedelta(hours=1)
    client.force_login(editor)
    response = create(
        client, hearing_index, go_live_at=local(go_live), **{"action-submit": "submit"}
    )
    assert response.status_code == 302
    hearing = HearingPage.objects.get(slug="ny-parkeringsordning")
    client.force_login(approver)
    approve(client, hearing)
    hearing.refresh_from_db()
    assert not hearing.live
    revision = hearing.scheduled_revision
    assert revision is not None and revision.approved_go_live_at is not None

    # The scheduled time arrives (moved here rather than waiting an hour); Wagtail's
    # publish_scheduled, which the background job runs, publishes the approved revision.
    past = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled", verbosity=0)
    hearing.refresh_from_db()
    assert hearing.live


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"closes_at": "2030-01-01 10:00", "opens_at": "2030-01-02 10:00"},
            "closes_at",
            "Høringsfristen skal ligge efter åbningstidspunktet.",
        ),
        (
            {"opens_at": "2020-01-01 10:00"},
            "opens_at",
            "Åbningstidspunktet ligger i fortiden.",
        ),
        ({"kle_number": "5.1"}, "kle_number", "Angiv et KLE-nummer"),
    ],
)
def test_the_editor_explains_what_is_wrong_field_by_field_in_danish(
    client, editor, hearing_index, overrides, field, message
):
    client.force_login(editor)
    response = create(client, hearing_index, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not HearingPage.objects.filter(slug="ny-parkeringsordning").exists()


def test_a_conclusion_cannot_be_published_before_the_deadline(make_hearing):
    from django.core.exceptions import ValidationError

    hearing = make_hearing()
    hearing.conclusion = "<p>For tidligt.</p>"
    with pytest.raises(ValidationError) as error:
        hearing.full_clean()
    assert "conclusion" in error.value.message_dict


def test_the_admin_listing_shows_each_hearings_phase(client, make_hearing, make_user):
    make_hearing(title="Open one")
    client.force_login(make_user("root", is_superuser=True))
    response = client.get(reverse("hearing_listing:index"))
    assert response.status_code == 200
    assert "Open one" in response.text
    assert "w-status" in response.text


def test_only_one_hearing_index_is_created_by_migrations(db):
    assert HearingIndexPage.objects.count() == 1


def test_wagtails_workflow_e_mails_are_danish_and_name_the_danish_workflow(
    client, editor, approver, hearing_index, mailoutbox
):
    client.force_login(editor)
    create(client, hearing_index, **{"action-submit": "submit"})
    to_approver = [message for message in mailoutbox if approver.email in message.to]
    assert to_approver, [message.subject for message in mailoutbox]
    message = to_approver[0]
    assert "er sendt til godkendelse" in message.subject, message.subject
    assert "Godkendelse ved høringsgodkendere" in message.subject
    assert "has been" not in message.subject + message.body


def test_the_editor_sends_the_hearing_to_the_approval_workflow_by_its_name(
    client, editor, hearing_index
):
    """The button read "Send til Godkendelse af høring": the workflow's name, capital
    and all, in the middle of a sentence."""
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("hearings", "hearingpage", hearing_index.pk))
    html = client.get(add).content.decode()
    assert "Send til arbejdsgangen »Godkendelse af høring«" in html
