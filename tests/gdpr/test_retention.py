"""Retention: responses of a concluded, filed hearing are cleared after the site's period;
a hearing not filed is never cleared; uploads that never joined a response go after a day."""

import io
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from wagtail.models import PageLogEntry, Site

from hearings import audit, retention, tasks
from hearings.models import (
    HearingPage,
    HearingResponse,
    Notification,
    PrivacySettings,
    ResponseAttachment,
    ResponseRevision,
    RetentionAction,
)
from tests.gdpr.conftest import SECRET_TEXT, conclude_and_file, submit, upload


def stored_files(root):
    return [os.path.join(d, f) for d, __, files in os.walk(root) for f in files]


@pytest.fixture
def answered(hearing, people):
    first = submit(people["employee"], hearing, send_receipt=True)
    second = submit(people["colleague"], hearing, opinion="Jeg er imod.")
    return [first, second]


def test_a_filed_hearing_past_its_period_loses_responses_files_and_mails(
    hearing, answered, private_media
):
    assert Notification.objects.filter(hearing=hearing).exists()
    assert len(stored_files(private_media)) == 2
    hearing = conclude_and_file(hearing, days_ago=731)

    done = retention.apply_retention()

    assert [(h.pk, action) for h, action, __ in done] == [(hearing.pk, "delete")]
    assert not HearingResponse.objects.filter(hearing=hearing).exists()
    assert not ResponseAttachment.objects.filter(hearing=hearing).exists()
    assert not ResponseRevision.objects.filter(response__hearing=hearing).exists()
    assert not Notification.objects.filter(hearing=hearing).exists()
    assert stored_files(private_media) == []
    entry = PageLogEntry.objects.get(page=hearing, action=audit.RETENTION)
    assert entry.data["responses_deleted"] == 2
    assert entry.data["attachments_deleted"] == 2
    assert entry.data["notifications_deleted"] >= 1
    # The case file in the ESDH is the archive's: untouched.
    assert hearing.filed_documents.exclude(remote_id="").exists()


def test_the_period_has_not_run_out_a_day_before(hearing, answered):
    conclude_and_file(hearing, days_ago=729)
    assert retention.apply_retention() == []
    assert HearingResponse.objects.filter(hearing=hearing).count() == 2


def test_a_hearing_that_is_not_filed_is_never_cleared(hearing, answered):
    long_ago = timezone.now() - timedelta(days=5000)
    HearingPage.objects.filter(pk=hearing.pk).update(
        closes_at=long_ago, conclusion="<p>Konklusion.</p>"
    )
    assert retention.apply_retention() == []
    assert HearingResponse.objects.filter(hearing=hearing).count() == 2


def test_a_hearing_with_a_document_not_confirmed_filed_is_not_cleared(hearing, answered):
    hearing = conclude_and_file(hearing, days_ago=1000)
    hearing.filed_documents.update(remote_id="")  # interrupted: no ESDH id yet
    assert retention.apply_retention() == []
    assert HearingResponse.objects.filter(hearing=hearing).count() == 2


def test_the_period_is_a_setting_of_the_site(hearing, answered, site):
    PrivacySettings.objects.create(site=site, retention_days=30)
    conclude_and_file(hearing, days_ago=31)
    assert len(retention.apply_retention()) == 1
    assert not HearingResponse.objects.filter(hearing=hearing).exists()


def test_a_hearing_follows_its_own_site_even_inside_another_site_s_tree(hearing, answered, site):
    """A municipality whose home is the hearing index of another (a nested Site): the
    hearing is kept as long as its own (inner) municipality says, not the outer one."""
    inner = Site.objects.create(
        hostname="inner.localhost", port=80, root_page=hearing.get_parent(), site_name="Inner"
    )
    try:
        PrivacySettings.objects.create(site=site, retention_days=30)
        PrivacySettings.objects.create(site=inner, retention_days=400)
        conclude_and_file(hearing, days_ago=31)
        assert retention.apply_retention() == []
        assert HearingResponse.objects.filter(hearing=hearing).exists()
    finally:
        inner.delete()  # and with it Wagtail's cached site roots, which outlive the test


def test_anonymising_keeps_the_choices_and_removes_the_person(hearing, answered, site):
    PrivacySettings.objects.create(site=site, retention_action=RetentionAction.ANONYMISE)
    conclude_and_file(hearing, days_ago=800)

    retention.apply_retention()

    responses = HearingResponse.objects.filter(hearing=hearing)
    assert responses.count() == 2
    for response in responses:
        assert response.respondent_id is None
        assert set(response.answers) == {"agree"}
        assert not response.attachments.exists()
        assert not response.revisions.exists()
    assert SECRET_TEXT not in str(list(responses.values_list("answers", flat=True)))
    # Run again: nothing left to do, and no second audit entry.
    assert retention.apply_retention() == []
    assert PageLogEntry.objects.filter(page=hearing, action=audit.RETENTION).count() == 1


def test_dry_run_changes_nothing_and_says_what_would_go(hearing, answered, private_media):
    conclude_and_file(hearing, days_ago=731)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"would clear Ny parkeringspolitik (#{hearing.pk}), delete: 2 responses deleted" in (
        out.getvalue()
    )
    assert HearingResponse.objects.filter(hearing=hearing).count() == 2
    assert len(stored_files(private_media)) == 2
    assert not PageLogEntry.objects.filter(action=audit.RETENTION).exists()

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "cleared 1 hearing(s)" in out.getvalue()
    assert not HearingResponse.objects.filter(hearing=hearing).exists()


def test_uploads_that_never_joined_a_response_go_after_a_day(hearing, people, private_media):
    old = upload(people["employee"], hearing, name="gammel.pdf")
    ResponseAttachment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    new = upload(people["employee"], hearing, name="ny.pdf")
    kept = submit(people["colleague"], hearing).attachments.get()
    ResponseAttachment.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )

    assert retention.remove_orphan_uploads() == 1
    entry = PageLogEntry.objects.get(page=hearing, action=audit.RETENTION)
    assert entry.data == {"hearing": hearing.pk, "orphan_uploads_deleted": 1}
    assert retention.remove_orphan_uploads() == 0

    assert set(ResponseAttachment.objects.values_list("pk", flat=True)) == {new.pk, kept.pk}
    assert not any(name.endswith("gammel.pdf") for name in stored_files(private_media))


def test_the_nightly_job_is_scheduled_and_runs_retention(hearing, answered):
    schedule = Schedule.objects.get(name="agora: nightly retention")
    assert schedule.func == "hearings.tasks.apply_retention"
    assert schedule.schedule_type == Schedule.DAILY
    conclude_and_file(hearing, days_ago=731)
    lines = tasks.apply_retention()
    assert lines == [
        f"retention: Ny parkeringspolitik (#{hearing.pk}), delete: 2 responses deleted, "
        "0 responses anonymised, 0 drafts deleted, 2 revisions deleted, "
        "2 attachments deleted, 1 notifications deleted"
    ]
