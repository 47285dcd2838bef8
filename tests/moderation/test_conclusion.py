"""After the deadline the editor concludes; respondents are told once ("you said, we did")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import PageLogEntry

from hearings import moderation, responding
from hearings.models import ConclusionNotice, HearingPage
from hearings.phases import Phase

from .conftest import submit


def close(hearing):
    hearing.closes_at = timezone.now() - timedelta(minutes=1)
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


@pytest.mark.django_db
def test_publishing_the_conclusion_concludes_and_notifies_every_respondent_once(
    people, hearing, make_user, departments, django_capture_on_commit_callbacks
):
    kept = submit(people["employee"], hearing)
    also = submit(people["colleague"], hearing)
    gone = submit(make_user("walter", department=departments["team"]), hearing)
    responding.withdraw(gone.respondent, gone)
    hearing = close(hearing)
    mail.outbox.clear()

    hearing.conclusion = "<p>Vi bygger flere cykelstier.</p>"
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=hearing.pk)

    assert hearing.phase == Phase.CONCLUDED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [kept.respondent.email, also.respondent.email]
    )
    assert all("Vi bygger flere cykelstier." in m.body for m in mail.outbox)
    assert ConclusionNotice.objects.get(hearing=hearing).recipients == 2
    assert PageLogEntry.objects.filter(page=hearing, action=moderation.CONCLUSION_NOTICE).exists()

    hearing.conclusion = "<p>Vi bygger flere cykelstier og p-pladser.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        hearing.save_revision().publish()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_publishing_without_a_conclusion_notifies_nobody(people, hearing):
    submit(people["employee"], hearing)
    close(hearing)
    assert not ConclusionNotice.objects.exists()
    assert not [m for m in mail.outbox if "cykelstier" in m.body]


@pytest.mark.django_db
def test_an_approver_publishes_the_conclusion_through_the_workflow(
    client, people, hearing, make_user, django_capture_on_commit_callbacks
):
    from wagtail.models import Workflow

    submit(people["employee"], hearing)
    hearing = close(hearing)
    mail.outbox.clear()
    approver = make_user("anna", groups=["Hearing approvers"])
    hearing.conclusion = "<p>Forslaget vedtages.</p>"
    revision = hearing.save_revision(user=people["owner"])
    workflow = Workflow.objects.get(name="Godkendelse af høring")
    state = workflow.start(hearing, people["owner"])
    assert not [m for m in mail.outbox if "Forslaget vedtages." in m.body]
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, approver, "approve")
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.live_revision_id == revision.pk
    assert hearing.phase == Phase.CONCLUDED
    [notice] = [m for m in mail.outbox if "Forslaget vedtages." in m.body]
    assert notice.to == [people["employee"].email]
