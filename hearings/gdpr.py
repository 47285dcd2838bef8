"""A person's data: the data-subject export ("Mine data", ``export_personal_data``)
and erasure (``erase_personal_data``, and deleting a user in Wagtail).

The export is a ZIP holding ``data.json`` (everything, machine-readable), ``data.pdf``
(the same, readable) and the files the person sent. It is built from what Agora
holds, so nothing held is left out: the account, department and groups, every
response (drafts, withdrawn ones, revisions, redactions), uploads, every e-mail
addressed to them, the hearing parties they are a contact of (by account or by e-mail
address), and the audit log about their answers and of their own actions.

Erasure removes the person's answers (drafts deleted; handed-in ones anonymised, or
deleted), attachment files, revisions, redactions, uploads, e-mails in the outbox,
their place as a contact of hearing parties (account and address) and their profile.
A party's own answers stay the party's, without the person's details. What is already
filed in the ESDH is the archive's: it is never touched, and the report says how many
filed documents remain there.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from hearings import audit
from hearings.answers import answer_rows, answer_text
from hearings.exports.pdf import html_to_pdfa
from hearings.models import (
    EmployeeProfile,
    FiledDocument,
    HearingParty,
    HearingResponse,
    Notification,
    ResponseAttachment,
    RetentionAction,
)
from hearings.retention import Cleared, clear_notifications, clear_response

# Export ------------------------------------------------------------------------------


def _attachment(attachment, path):
    return {
        "name": attachment.name,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": attachment.created_at,
        "removed_at": attachment.removed_at,
        "file_in_zip": path,
    }


def _action_label(action):
    return str(log_action_registry.get_action_label(action))


def _response(response, files, filed):
    hearing = response.hearing
    attachments = []
    for attachment in response.attachments.all():
        folder = response.reference or f"draft-{response.pk}"
        path = f"files/{folder}/{attachment.pk}-{attachment.name}"
        files.append((path, attachment))
        attachments.append(_attachment(attachment, path))
    return {
        "hearing": {"id": hearing.pk, "title": hearing.title, "url": hearing.full_url},
        "reference": response.reference,
        "status": response.status,
        "status_display": str(response.get_status_display()),
        "on_behalf_of": response.on_behalf_of_display(),
        "submitted_at": response.submitted_at,
        "amended_at": response.amended_at,
        "withdrawn_at": response.withdrawn_at,
        "created_at": response.created_at,
        "moderated_at": response.moderated_at,
        "rejection_reason": response.rejection_reason,
        "sensitive": response.sensitive,
        "answers": [
            {"question": label, "answer": answer_text(answer)}
            for label, answer in answer_rows(hearing, response.answers)
        ],
        "revisions": [
            {
                "number": revision.number,
                "kind": revision.kind,
                "created_at": revision.created_at,
                "answers": revision.answers,
                "changes": revision.changes,
            }
            for revision in response.revisions.all()
        ],
        "redactions": [
            {
                "question": redaction.question_id,
                "published_text": redaction.text,
                "reason": redaction.reason,
                "created_at": redaction.created_at,
            }
            for redaction in response.redactions.all()
        ],
        "attachments": attachments,
        "filed_in_esdh": [
            {"title": document.title, "case": document.case_id, "filed_at": document.filed_at}
            for document in filed.get(response.pk, [])
        ],
    }


def filed_documents(responses):
    """The ESDH documents filed from ``responses`` (and their attachments)."""
    keys = Q(pk__in=[])
    for response in responses:
        keys |= Q(hearing_id=response.hearing_id) & (
            Q(source_key=f"response-{response.pk}")
            | Q(source_key__startswith=f"response-{response.pk}-")
        )
    return FiledDocument.objects.filter(keys).exclude(remote_id="").order_by("filed_at", "pk")


def _audit_entries(subject, responses):
    about = ModelLogEntry.objects.filter(
        content_type__app_label="hearings",
        content_type__model="hearingresponse",
        object_id__in=[str(response.pk) for response in responses],
    ).exclude(user_id=subject.pk)
    own = [
        *ModelLogEntry.objects.filter(user_id=subject.pk),
        *PageLogEntry.objects.filter(user_id=subject.pk),
    ]
    return {
        "about_your_answers": [
            {"action": _action_label(e.action), "object": e.label, "at": e.timestamp}
            for e in about.order_by("timestamp", "pk")
        ],
        "your_actions": [
            {"action": _action_label(e.action), "object": e.label, "at": e.timestamp}
            for e in sorted(own, key=lambda e: e.timestamp)
        ],
    }


def contact_parties(subject):
    """``[(party, by account, by address)]``: the hearing parties ``subject`` is a
    contact of, with their account and/or their e-mail address."""
    email = (subject.email or "").strip().lower()
    candidates = HearingParty.objects.filter(contact_users=subject)
    if email:
        candidates = HearingParty.objects.filter(
            Q(contact_users=subject) | Q(contact_emails__icontains=email)
        )
    rows = []
    for party in candidates.distinct().order_by("name", "pk"):
        by_account = party.contact_users.filter(pk=subject.pk).exists()
        by_address = bool(email) and email in party.emails
        if by_account or by_address:
            rows.append((party, by_account, by_address))
    return rows


def personal_data(subject):
    """Everything Agora holds about ``subject``: (a JSON-ready dict, [(zip path, attachment)])."""
    files = []
    responses = list(
        HearingResponse.objects.filter(respondent=subject)
        .select_related("hearing")
        .prefetch_related("attachments", "revisions", "redactions")
        .order_by("created_at", "pk")
    )
    filed = {}
    for document in filed_documents(responses):
        response_id = int(document.source_key.split("-")[1])
        filed.setdefault(response_id, []).append(document)
    uploads = []
    for attachment in ResponseAttachment.objects.filter(
        uploaded_by=subject, response__isnull=True
    ):
        path = f"files/uploads/{attachment.pk}-{attachment.name}"
        files.append((path, attachment))
        uploads.append(_attachment(attachment, path))
    profile = EmployeeProfile.objects.filter(user=subject).select_related("department").first()
    mails = Notification.objects.filter(
        Q(recipient_user=subject) | Q(recipient__iexact=subject.email or "-")
    ).order_by("created_at", "pk")
    data = {
        "generated_at": timezone.now(),
        "person": {
            "username": subject.get_username(),
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "email": subject.email,
            "active": subject.is_active,
            "joined": subject.date_joined,
            "last_login": subject.last_login,
            "department": profile.department.name if profile and profile.department else "",
            "groups": sorted(subject.groups.values_list("name", flat=True)),
            "single_sign_on": sorted(subject.social_auth.values_list("provider", flat=True)),
        },
        "responses": [_response(response, files, filed) for response in responses],
        "uploads_not_in_a_response": uploads,
        "hearing_parties": [
            {
                "name": party.name,
                "kind": str(party.get_kind_display()),
                "contact_by_account": by_account,
                "contact_email": subject.email if by_address else "",
            }
            for party, by_account, by_address in contact_parties(subject)
        ],
        "emails": [
            {
                "kind": str(mail.get_kind_display()),
                "to": mail.recipient,
                "subject": mail.subject,
                "text": mail.body_text,
                "status": str(mail.get_status_display()),
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
            }
            for mail in mails
        ],
        "audit_log": _audit_entries(subject, responses),
    }
    return data, files


def export_zip(subject, by=None):
    """The ZIP of ``subject``'s data as bytes; the export is audited."""
    data, files = personal_data(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        html = render_to_string("hearings/gdpr/personal_data.html", {"data": data})
        archive.writestr("data.pdf", html_to_pdfa(html))
        for path, attachment in files:
            try:
                with attachment.file.open("rb") as handle:
                    archive.writestr(path, handle.read())
            except (FileNotFoundError, ValueError):
                continue  # the row outlived its file; data.json still lists it
    audit.log_personal_data_export(subject, by or subject)
    return buffer.getvalue()


def export_filename(subject):
    return f"agora-data-{subject.pk}-{timezone.localdate():%Y-%m-%d}.zip"


# Erasure -----------------------------------------------------------------------------


@dataclass
class Erasure:
    cleared: Cleared = field(default_factory=Cleared)
    uploads_deleted: int = 0
    party_contacts_removed: int = 0
    filed_in_esdh: int = 0  # documents in the ESDH, which erasure does not touch
    filed_cases: list = field(default_factory=list)
    account: str = ""  # "anonymised", "deleted" or ""

    def counts(self):
        return {
            **self.cleared.counts(),
            "uploads_deleted": self.uploads_deleted,
            "party_contacts_removed": self.party_contacts_removed,
            "filed_in_esdh_untouched": self.filed_in_esdh,
        }


def erase_person(subject, by=None, action=RetentionAction.ANONYMISE, keep_account=True):
    """Remove what Agora holds about ``subject``; return an ``Erasure`` report.

    With ``keep_account`` the account stays (inactive, without name, address or
    password) so the audit log still points at an id; without it the caller deletes
    the account (Wagtail's user deletion).
    """
    report = Erasure()
    with transaction.atomic():
        responses = list(
            HearingResponse.objects.filter(respondent=subject).prefetch_related("attachments")
        )
        filed = filed_documents([r for r in responses if not r.is_draft])
        report.filed_in_esdh = filed.count()
        report.filed_cases = sorted(set(filed.values_list("case_id", flat=True)))
        for response in responses:
            clear_response(response, action, report.cleared)
        uploads = ResponseAttachment.objects.filter(uploaded_by=subject, response__isnull=True)
        for attachment in uploads:
            report.uploads_deleted += 1
            if attachment.file:
                attachment.file.delete(save=False)
        uploads.delete()
        mails = Notification.objects.filter(recipient_user=subject)
        if subject.email:
            mails = Notification.objects.filter(
                Q(recipient_user=subject) | Q(recipient__iexact=subject.email)
            )
        clear_notifications(mails, report.cleared)
        report.party_contacts_removed = _remove_party_contact(subject)
        EmployeeProfile.objects.filter(user=subject).delete()
        subject.social_auth.all().delete()
        if keep_account:
            _anonymise_account(subject)
            report.account = "anonymised"
        else:
            report.account = "deleted"
        audit.log_erasure(subject, by, report.counts())
    return report


def _remove_party_contact(subject):
    """Take ``subject`` (account and address) off every party's contacts; how many
    parties had them."""
    email = (subject.email or "").strip().lower()
    removed = 0
    for party, by_account, by_address in contact_parties(subject):
        if by_account:
            party.contact_users.remove(subject)
        if by_address:
            party.contact_emails = "\n".join(a for a in party.emails if a != email)
            party.save(update_fields=["contact_emails"])
        removed += 1
    return removed


def _anonymise_account(subject):
    subject.username = f"erased-{subject.pk}"
    subject.first_name = subject.last_name = subject.email = ""
    subject.is_active = False
    subject.set_unusable_password()
    subject.save()
    subject.groups.clear()
    subject.user_permissions.clear()


def on_user_deleted(sender, instance, **kwargs):
    """Deleting a user (in Wagtail or anywhere) erases their data first, and keeps the
    report on the instance for the admin's message (``after_delete_user`` hook)."""
    instance._agora_erasure = erase_person(instance, keep_account=False)


def erasure_summary(erasure):
    """What an erasure did, in a sentence for the admin and the command."""
    counts = erasure.cleared.counts()
    text = _(
        "Erased: %(anonymised)s answer(s) anonymised, %(deleted)s deleted, %(drafts)s "
        "draft(s), %(revisions)s revision(s), %(files)s file(s), %(mails)s e-mail(s)."
    ) % {
        "anonymised": counts["responses_anonymised"],
        "deleted": counts["responses_deleted"],
        "drafts": counts["drafts_deleted"],
        "revisions": counts["revisions_deleted"],
        "files": counts["attachments_deleted"] + erasure.uploads_deleted,
        "mails": counts["notifications_deleted"],
    }
    if erasure.party_contacts_removed:
        text += " " + _("Removed as a contact of %(count)s hearing party(ies).") % {
            "count": erasure.party_contacts_removed
        }
    if erasure.filed_in_esdh:
        text += " " + _(
            "%(count)s document(s) already filed in the ESDH (case %(cases)s) are not "
            "changed: ask the records manager if they must be."
        ) % {"count": erasure.filed_in_esdh, "cases": ", ".join(erasure.filed_cases)}
    else:
        text += " " + _("Nothing of theirs was filed in the ESDH.")
    return text
