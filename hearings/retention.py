"""How long personal data is kept, and the removal of what has expired.

Rules:

- Responses and their attachments are kept for the site's ``PrivacySettings.retention_days``
  (default 730) after the hearing is concluded *and* its case file is confirmed filed:
  the ESDH export is done, every document has an ESDH id, and the case was closed after
  the conclusion was filed (``HearingExport.case_closed_at``). The clock starts then.
  A hearing that is not filed is never cleared, however old.
- When the time is up the responses are deleted, or anonymised (the site's choice):
  the respondent, names, free texts, revisions, redactions, staff notes and attachment
  files go; the choices made stay for statistics. The hearing's e-mails in the outbox
  go too. What is filed in the ESDH is the archive's and is never touched.
- An upload that never joined a response is removed after a day.

Everything here is idempotent: run twice, the second run finds nothing. Counts of what
was removed go to the audit log (``hearings.audit``) and back to the caller, which
prints them (``manage.py apply_retention``) or reports them (the nightly job).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from hearings import audit, sites
from hearings.blocks.questions import question_block
from hearings.models import (
    FiledDocument,
    HearingExport,
    HearingPage,
    HearingResponse,
    Notification,
    PrivacySettings,
    ResponseAttachment,
    RetentionAction,
)
from hearings.phases import Phase, phase_filter


@dataclass
class Cleared:
    """What removing personal data from some responses did (or would do)."""

    responses_deleted: int = 0
    responses_anonymised: int = 0
    drafts_deleted: int = 0
    revisions_deleted: int = 0
    attachments_deleted: int = 0
    notifications_deleted: int = 0
    files: list = field(default_factory=list)  # storage names of deleted files

    def counts(self):
        return {
            "responses_deleted": self.responses_deleted,
            "responses_anonymised": self.responses_anonymised,
            "drafts_deleted": self.drafts_deleted,
            "revisions_deleted": self.revisions_deleted,
            "attachments_deleted": self.attachments_deleted,
            "notifications_deleted": self.notifications_deleted,
        }

    def __bool__(self):
        return any(self.counts().values())

    def add(self, other):
        for name, value in other.counts().items():
            setattr(self, name, getattr(self, name) + value)
        self.files += other.files

    def __str__(self):
        return ", ".join(
            f"{value} {name.replace('_', ' ')}" for name, value in self.counts().items()
        )


# Clearing responses: shared by retention and erasure ---------------------------------


def _delete_files(attachments, cleared, dry_run):
    for attachment in attachments:
        cleared.attachments_deleted += 1
        if attachment.file:
            cleared.files.append(attachment.file.name)
            if not dry_run:
                attachment.file.delete(save=False)


def anonymous_answers(answers):
    """The answers that identify nobody (choices), without the rest."""
    return {
        question_id: answer
        for question_id, answer in (answers or {}).items()
        if question_block(answer.get("type", "")).anonymous
    }


def is_anonymous(response):
    return (
        response.respondent_id is None
        and not response.on_behalf_of_name
        and not response.staff_notes
        and not response.rejection_reason
        and response.answers == anonymous_answers(response.answers)
        and not response.attachments.exists()
        and not response.revisions.exists()
        and not response.redactions.exists()
    )


def clear_response(response, action, cleared, dry_run=False):
    """Delete or anonymise one response (drafts are always deleted)."""
    _delete_files(response.attachments.all(), cleared, dry_run)
    cleared.revisions_deleted += response.revisions.count()
    if response.is_draft or action == RetentionAction.DELETE:
        if response.is_draft:
            cleared.drafts_deleted += 1
        else:
            cleared.responses_deleted += 1
        if not dry_run:
            response.delete()  # revisions, redactions and attachment rows go with it
        return
    if is_anonymous(response):
        return
    cleared.responses_anonymised += 1
    if dry_run:
        return
    response.attachments.all().delete()
    response.revisions.all().delete()
    response.redactions.all().delete()
    response.tags.clear()
    response.respondent = None
    response.on_behalf_of_name = ""
    response.staff_notes = ""
    response.rejection_reason = ""
    response.answers = anonymous_answers(response.answers)
    response.save(
        update_fields=[
            "respondent",
            "on_behalf_of_name",
            "staff_notes",
            "rejection_reason",
            "answers",
            "updated_at",
        ]
    )


def clear_notifications(queryset, cleared, dry_run=False):
    cleared.notifications_deleted += queryset.count()
    if not dry_run:
        queryset.delete()


# Retention of hearings -------------------------------------------------------------


def filed_hearings(now=None):
    """Concluded hearings whose case file is confirmed filed, with the moment it was."""
    unfinished = FiledDocument.objects.filter(remote_id="").values("hearing_id")
    return (
        HearingPage.objects.filter(phase_filter(Phase.CONCLUDED, now))
        .filter(
            esdh_export__status=HearingExport.Status.DONE,
            esdh_export__case_closed_at__isnull=False,
        )
        .exclude(pk__in=unfinished)
        .select_related("esdh_export")
    )


def expired_hearings(now=None):
    """(hearing, settings) for every hearing whose responses are due for clearing."""
    now = now or timezone.now()
    # Each hearing by the settings of the one site it belongs to (the deepest root above
    # it, as everywhere), even when one site's tree lies inside another's.
    roots = sites.site_roots()
    by_site = {}
    for hearing in filed_hearings(now).order_by("pk"):
        site_id = sites.site_id_for_path_in(hearing.path, roots)
        if site_id is None:
            continue  # outside every site: no settings say how long to keep it
        if site_id not in by_site:
            by_site[site_id] = PrivacySettings.for_site(Site.objects.get(pk=site_id))
        settings = by_site[site_id]
        limit = now - timedelta(days=settings.retention_days)
        if hearing.esdh_export.case_closed_at <= limit:
            yield hearing, settings


def clear_hearing(hearing, action, dry_run=False):
    """Clear the personal data of one hearing's responses and its e-mails."""
    cleared = Cleared()
    with transaction.atomic():
        responses = HearingResponse.objects.filter(hearing=hearing).prefetch_related("attachments")
        for response in responses:
            clear_response(response, action, cleared, dry_run)
        orphans = ResponseAttachment.objects.filter(hearing=hearing, response__isnull=True)
        _delete_files(orphans, cleared, dry_run)
        if not dry_run:
            orphans.delete()
        # Two years on, a mail still queued has long failed: every one goes.
        clear_notifications(Notification.objects.filter(hearing=hearing), cleared, dry_run)
        if cleared and not dry_run:
            audit.log_retention(hearing, {"action": action, **cleared.counts()})
    return cleared


def apply_retention(now=None, dry_run=False):
    """Clear every expired hearing; return [(hearing, action, Cleared)] for those touched."""
    done = []
    for hearing, settings in list(expired_hearings(now)):
        cleared = clear_hearing(hearing, settings.retention_action, dry_run=dry_run)
        if cleared:
            done.append((hearing, settings.retention_action, cleared))
    return done


# Uploads that never joined a response ------------------------------------------------


def remove_orphan_uploads(now=None, dry_run=False):
    """Remove uploads no response took in, older than ``AGORA_ORPHAN_UPLOAD_HOURS``
    (a day by default; until then they are the person's while they fix other errors);
    return how many. Counted per hearing in its audit log. The due-jobs run calls this
    (``hearings.jobs``), with ``attachments.remove_stray_files`` for files without a row.
    """
    now = now or timezone.now()
    age = timedelta(hours=django_settings.AGORA_ORPHAN_UPLOAD_HOURS)
    orphans = ResponseAttachment.objects.filter(response__isnull=True, created_at__lt=now - age)
    cleared = Cleared()
    per_hearing = {}
    for attachment in orphans.select_related("hearing"):
        per_hearing.setdefault(attachment.hearing, []).append(attachment)
    for hearing, attachments in per_hearing.items():
        removed = Cleared()
        _delete_files(attachments, removed, dry_run)
        cleared.add(removed)
        if not dry_run:
            ResponseAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
            audit.log_retention(hearing, {"orphan_uploads_deleted": removed.attachments_deleted})
    return cleared.attachments_deleted


def nightly(now=None):
    """The nightly job: retention; one report line per hearing cleared. (Orphan
    uploads go in the due-jobs run, every minute: ``hearings.jobs``.)"""
    return [
        f"retention: {hearing.title} (#{hearing.pk}), {action}: {cleared}"
        for hearing, action, cleared in apply_retention(now)
    ]
