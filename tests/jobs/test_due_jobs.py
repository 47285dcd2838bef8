"""run_due_jobs: a hearing opens, nears its deadline, closes and is concluded by itself."""

import hashlib
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from hearings import jobs
from hearings.models import (
    FiledDocument,
    HearingExport,
    HearingResponse,
    HearingSettings,
    Notification,
    ResponseStatus,
)

from .fixtures import case_folders, pdfa_part, read_manifest

pytestmark = pytest.mark.django_db


def recipients(kind):
    return sorted(n.recipient for n in Notification.objects.filter(kind=kind, status="sent"))


def test_when_a_hearing_opens_each_invited_employee_is_told_once(hearing_for, cast):
    hearing_for()
    report = jobs.run_due_jobs()
    assert any(line.startswith("opened:") for line in report)
    assert recipients("hearing_opened") == ["center1@example.dk", "team1@example.dk"]
    assert len(mail.outbox) == 2
    assert "/" in mail.outbox[0].body and mail.outbox[0].alternatives  # text and HTML

    jobs.run_due_jobs()
    assert len(mail.outbox) == 2


def test_an_upcoming_hearing_is_not_announced_before_it_opens(hearing_for):
    hearing_for(opens_in=timedelta(days=2), closes_in=timedelta(days=9))
    jobs.run_due_jobs()
    assert mail.outbox == []
    jobs.run_due_jobs(now=timezone.now() + timedelta(days=2, minutes=1))
    assert len(mail.outbox) == 2


def test_reminders_go_to_invited_employees_without_a_response_once(hearing_for, cast):
    hearing = hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(days=5))
    jobs.run_due_jobs()  # the opening mails
    mail.outbox.clear()
    jobs.run_due_jobs()
    assert mail.outbox == []  # five days left, reminders are three days before

    HearingResponse.objects.create(
        hearing=hearing,
        respondent=cast["team"],
        status=ResponseStatus.SUBMITTED,
        reference="H-T-0001",
        sequence=1,
    )
    later = timezone.now() + timedelta(days=2, hours=1)
    report = jobs.run_due_jobs(now=later)
    assert any(line.startswith("reminded:") for line in report)
    assert recipients("deadline_reminder") == ["center1@example.dk"]
    jobs.run_due_jobs(now=later + timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_reminders_follow_the_site_setting(hearing_for, site):
    settings = HearingSettings.for_site(site)
    settings.reminder_days = 0
    settings.save()
    hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=2))
    jobs.run_due_jobs()
    assert recipients("deadline_reminder") == []


def test_a_closing_hearing_notifies_its_owner_once_and_files_the_case(hearing_for, cast, esdh_dir):
    hearing = hearing_for(
        opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1), kle_number="00.01.00"
    )
    report = jobs.run_due_jobs()
    assert any(line.startswith("closed:") for line in report), report
    assert recipients("hearing_closed") == ["owner@example.dk"]
    closed_mail = next(m for m in mail.outbox if m.to == ["owner@example.dk"])
    assert f"/admin/pages/{hearing.pk}/edit/" in closed_mail.body

    export = HearingExport.objects.get(hearing=hearing)
    assert export.status == "done" and export.attempts == 1
    [folder] = case_folders(esdh_dir)
    manifest = read_manifest(folder)
    assert manifest["case"]["title"] == hearing.title
    assert manifest["case"]["kle_number"] == "00.01.00"
    assert manifest["case"]["closed_at"] is None  # not concluded yet
    [document] = manifest["documents"]
    content = (folder / document["file"]).read_bytes()
    assert content.startswith(b"%PDF-")
    assert pdfa_part(content) == "3"  # PDF/A-3 declared in the XMP metadata
    assert hashlib.sha256(content).hexdigest() == document["sha256"]
    assert document["metadata"]["kle_number"] == "00.01.00"
    assert document["finalized"] is True

    sent = len(mail.outbox)
    jobs.run_due_jobs()
    assert len(mail.outbox) == sent
    assert read_manifest(folder) == manifest  # re-running changes nothing


def test_no_export_on_close_when_the_site_says_so(hearing_for, site, esdh_dir):
    settings = HearingSettings.for_site(site)
    settings.export_on_close = False
    settings.save()
    hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))
    jobs.run_due_jobs()
    assert recipients("hearing_closed") == ["owner@example.dk"]
    assert not HearingExport.objects.exists()
    assert case_folders(esdh_dir) == []


def test_after_the_conclusion_it_is_filed_and_the_case_closed(hearing_for, esdh_dir):
    hearing = hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))
    jobs.run_due_jobs()
    hearing.conclusion = "<p>Vi gør det.</p>"
    hearing.save_revision().publish()

    report = jobs.run_due_jobs()
    assert any("case closed" in line for line in report), report
    [folder] = case_folders(esdh_dir)
    manifest = read_manifest(folder)
    assert manifest["case"]["closed_at"]
    kinds = [d["metadata"]["kind"] for d in manifest["documents"]]
    assert kinds == ["hearing_text", "conclusion"]
    conclusion = manifest["documents"][1]
    assert conclusion["parent"] == manifest["documents"][0]["id"]
    assert FiledDocument.objects.filter(hearing=hearing).count() == 2

    jobs.run_due_jobs()
    assert read_manifest(folder) == manifest


def test_scheduled_publishing_runs_with_the_due_jobs(hearing_for):
    hearing = hearing_for(live=False)
    hearing.go_live_at = timezone.now() + timedelta(seconds=2)
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    assert not hearing.live
    time.sleep(2.1)

    jobs.run_due_jobs()
    hearing.refresh_from_db()
    assert hearing.live


def test_the_owners_digest_is_sent_once_a_day(hearing_for, cast):
    hearing_for(title="Åben høring")
    hearing_for(title="Lukket høring", opens_in=timedelta(days=-9), closes_in=timedelta(hours=-2))
    assert jobs.send_owner_digests()
    [digest] = [m for m in mail.outbox if m.to == ["owner@example.dk"]]
    assert "Åben høring" in digest.body and "Lukket høring" in digest.body
    jobs.send_owner_digests()
    assert len([m for m in mail.outbox if m.to == ["owner@example.dk"]]) == 1


def test_the_command_prints_what_it_did(hearing_for, capsys):
    hearing_for(title="Kantineordning")
    call_command("run_due_jobs")
    out = capsys.readouterr().out
    assert "opened: Kantineordning" in out
    assert "outbox: 2 sent" in out
    call_command("run_due_jobs")
    assert "Nothing was due." in capsys.readouterr().out


def test_no_reminder_when_the_hearing_opens_inside_the_reminder_window(hearing_for):
    hearing_for(opens_in=timedelta(hours=-1), closes_in=timedelta(days=2))
    jobs.run_due_jobs()
    assert recipients("hearing_opened") and recipients("deadline_reminder") == []


def test_export_hearing_command_files_the_hearing_and_refuses_unknown_ids(
    hearing_for, esdh_dir, capsys
):
    hearing = hearing_for(opens_in=timedelta(days=-3), closes_in=timedelta(hours=-1))
    call_command("export_hearing", str(hearing.pk))
    assert "filed 01-hearing.pdf" in capsys.readouterr().out
    [folder] = case_folders(esdh_dir)
    assert (folder / "manifest.json").exists() and (folder / "01-hearing.pdf").exists()
    call_command("export_hearing", str(hearing.pk))
    assert "0 filed, 1 already filed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No hearing"):
        call_command("export_hearing", "99999")


def test_a_failing_step_does_not_stop_the_others(hearing_for, monkeypatch, capsys):
    hearing_for(title="Stadig åben")

    def broken(now):
        raise RuntimeError("reminders broke")

    monkeypatch.setattr(jobs.transitions, "remind_audiences", broken)
    with pytest.raises(CommandError, match="Some jobs failed"):
        call_command("run_due_jobs")
    out = capsys.readouterr().out
    assert "error: reminders: RuntimeError: reminders broke" in out
    assert "opened: Stadig åben" in out and "outbox: 2 sent" in out
