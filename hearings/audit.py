"""The audit trail of personal data: who read, exported, kept or erased it, and when.

Entries are Wagtail log entries (``wagtail.log_actions.log``), so they show in each
object's history and in the admin's report *Access to personal data*
(``hearings.admin.audit``). Entries about a response carry its hearing's id in
``data["hearing"]``, so the report can filter by hearing even after the response is
gone. An entry holds ids, references and counts: never names, addresses or answers.

A person reading their own answer is not audited; anyone else reading it is (in
practice hearing staff: access.py lets nobody else see another's answer).
"""

from wagtail.log_actions import log

# Reading a response: the admin's inspect view logs ``hearings.moderation.VIEW``.
API_READ = "agora.response.api_read"
RECEIPT_READ = "agora.response.receipt_read"
REDACTION_FORM = "agora.response.redaction_form"
ATTACHMENT_DOWNLOAD = "agora.attachment.download"
# The data-protection lifecycle.
RETENTION = "agora.gdpr.retention"
PERSONAL_DATA_EXPORT = "agora.gdpr.export"
ERASURE = "agora.gdpr.erasure"

# Every action the audit report lists: Agora's own (moderation, exports, the above).
AUDITED_PREFIXES = ("agora.", "hearings.")


def is_others_read(user, response):
    """Is ``user`` reading somebody else's response (so the read must be audited)?"""
    return user.is_authenticated and response.respondent_id != user.pk


def response_data(response, **extra):
    return {"hearing": response.hearing_id, "reference": response.reference, **extra}


def log_response_read(user, response, action):
    """Record that ``user`` read ``response`` through ``action``, unless it is theirs."""
    if is_others_read(user, response):
        log(response, action, user=user, data=response_data(response))


def log_attachment_download(user, attachment):
    """Record a download of an attachment by anyone but the person who sent it."""
    response = attachment.response
    owner_id = response.respondent_id if response else attachment.uploaded_by_id
    if not user.is_authenticated or owner_id == user.pk:
        return
    if response is None:
        return  # an upload not yet part of a response is only ever served to its uploader
    log(
        response,
        ATTACHMENT_DOWNLOAD,
        user=user,
        data=response_data(response, attachment=attachment.pk),
    )


def log_retention(hearing, counts):
    log(hearing, RETENTION, data={"hearing": hearing.pk, **counts})


def _person_title(subject):
    # The entry outlives the account and must not keep the name: the id is enough.
    return f"user #{subject.pk}"


def log_personal_data_export(subject, by):
    log(
        subject,
        PERSONAL_DATA_EXPORT,
        user=by,
        title=_person_title(subject),
        data={"subject": subject.pk},
    )


def log_erasure(subject, by, counts):
    log(
        subject,
        ERASURE,
        user=by,
        title=_person_title(subject),
        data={"subject": subject.pk, **counts},
    )
