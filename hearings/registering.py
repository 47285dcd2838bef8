"""Responses received outside Agora: staff register a letter or an e-mail.

The hearing's owner or a moderator (``access.can_register_response``) types in the
sender, their organisation or department, when it was received and its text, and
attaches the files (the scanned letter, the e-mail's attachments). It becomes a
``HearingResponse`` like any other — a reference, a first revision, moderation,
reports, exports and the ESDH case — without a respondent, marked as registered by
staff (who, when). It is never approved automatically: the sender gave no consent to
publication through Agora, so a moderator decides.

Registered after the hearing was first filed in the ESDH system, it asks for the
export again (``exports.service.request_export``), which files only what is new.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from hearings import access, attachments, moderation
from hearings.errors import Refused
from hearings.exports import service as exports
from hearings.filetypes import FileType
from hearings.models import (
    Channel,
    HearingExport,
    HearingPage,
    HearingResponse,
    OnBehalfOfKind,
    ResponseAttachment,
    ResponseStatus,
)
from hearings.numbering import make_reference, next_sequence
from hearings.phases import ENDED, Phase, phase_of
from hearings.responding import first_revision

# Audit-log action (registered with its label in hearings.wagtail_hooks).
REGISTER = "agora.response.register"
# The answer keys of a registered response (a form's questions use block ids).
TEXT_KEY = "registered-text"
FILES_KEY = "registered-files"
MAX_TEXT_LENGTH = 100_000
MAX_FILES = 20
CHANNELS = [Channel.EMAIL, Channel.LETTER]


@dataclass
class Registration:
    channel: str
    sender_name: str
    sender_organisation: str
    received_at: datetime
    text: str
    party: object = None  # the invited hearing party the letter answers for, if any


@dataclass
class Outcome:
    response: HearingResponse
    export_requested: bool = False  # filed in the ESDH case by the next export run
    case_closed: bool = False  # the ESDH case is closed: file it by hand


def refusal(user, hearing):
    """Why ``user`` cannot register a response to ``hearing``; None when they can."""
    if not access.can_register_response(user, hearing):
        return Refused(
            _("Only the hearing's owner and moderators can register responses."),
            Refused.FORBIDDEN,
        )
    if phase_of(hearing) == Phase.DRAFT:
        return Refused(_("The hearing is not published; register responses once it is."))
    return None


# Uploads ---------------------------------------------------------------------------


def stash_uploads(user, hearing, files):
    """Check and store uploaded files; they wait, unattached, until the response is saved,
    so a form sent back with errors keeps them. Returns (attachments, [errors])."""
    stored, errors = [], []
    if refusal(user, hearing) is not None:
        return stored, errors
    for upload in files:
        try:
            checked = attachments.check_upload(upload, FileType.ALL, attachments.max_bytes_for())
        except Refused as rejected:
            errors.append(rejected.message)
            continue
        attachment = attachments.store(user, hearing, FILES_KEY, upload, checked)
        stored.append(attachment)
    return stored, errors


def waiting_uploads(user, hearing):
    """Files ``user`` uploaded for a registration to ``hearing`` not yet saved."""
    return ResponseAttachment.objects.filter(
        hearing=hearing, uploaded_by=user, response__isnull=True, question_id=FILES_KEY
    ).order_by("created_at", "pk")


# Registering -----------------------------------------------------------------------


def _answers(text, files):
    with translation.override(settings.LANGUAGE_CODE):
        answers = {}
        if text:
            answers[TEXT_KEY] = {
                "type": "long_text",
                "label": _("Text of the response"),
                "value": text,
                "display": text,
            }
        if files:
            answers[FILES_KEY] = {
                "type": "file_upload",
                "label": _("Attachments"),
                "value": [a.pk for a in files],
                "files": [
                    {"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256} for a in files
                ],
                "display": ", ".join(a.name for a in files),
            }
    return answers


def _check_party(hearing, party):
    """A letter answers for an invited party, once unless the hearing accepts more."""
    if not hearing.invited_parties.filter(pk=party.pk).exists():
        raise Refused(
            _("%(party)s is not invited to this hearing.") % {"party": party.name},
            Refused.INVALID,
        )
    answered = HearingResponse.objects.filter(hearing=hearing, party=party).standing()
    if not hearing.several_responses_per_party and answered.exists():
        raise Refused(_("%(party)s has already answered this hearing.") % {"party": party.name})


def register(user, hearing, registration, attachment_ids=(), now=None):
    """Register a response received by e-mail or letter; returns an ``Outcome``.

    Refused (nothing stored) when ``user`` may not, the hearing is a draft, the sender
    has no name, it was received in the future, or there is neither text nor a file.
    """
    refused = refusal(user, hearing)
    if refused:
        raise refused
    now = now or timezone.now()
    text = (registration.text or "").strip()
    name = (registration.sender_name or "").strip()
    if registration.channel not in CHANNELS:
        raise Refused(_("Choose how the response was received."), Refused.INVALID)
    if not name:
        raise Refused(_("Give the sender's name."), Refused.INVALID)
    if registration.received_at > now:
        raise Refused(_("The time received cannot be in the future."), Refused.INVALID)
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused(_("The text is too long."), Refused.INVALID)
    with transaction.atomic():
        hearing = HearingPage.objects.select_for_update().get(pk=hearing.pk)
        files = list(waiting_uploads(user, hearing).filter(pk__in=list(attachment_ids)))
        if len(files) > MAX_FILES:
            raise Refused(
                _("Attach at most %(count)d files.") % {"count": MAX_FILES}, Refused.INVALID
            )
        if not text and not files:
            raise Refused(_("Type the text of the response or attach it."), Refused.INVALID)
        organisation = (registration.sender_organisation or "").strip()
        party = registration.party
        if party is not None:
            _check_party(hearing, party)
            organisation = party.name
        sequence = next_sequence(hearing.pk)
        answers = _answers(text, files)
        response = HearingResponse.objects.create(
            hearing=hearing,
            respondent=None,
            status=ResponseStatus.SUBMITTED,
            answers=answers,
            on_behalf_of_kind=(
                OnBehalfOfKind.ORGANISATION if organisation else OnBehalfOfKind.MYSELF
            ),
            on_behalf_of_name=organisation,
            party=party,
            channel=registration.channel,
            sender_name=name,
            sender_organisation=organisation,
            registered_by=user,
            registered_at=now,
            sequence=sequence,
            reference=make_reference(hearing, sequence, registration.received_at),
            submitted_at=registration.received_at,
            sensitive=moderation.looks_sensitive(answers),
        )
        ResponseAttachment.objects.filter(pk__in=[a.pk for a in files]).update(response=response)
        first_revision(response, user, answers)
        log(
            response,
            REGISTER,
            user=user,
            data={"reference": response.reference, "channel": registration.channel},
        )
    outcome = Outcome(response)
    file_if_filed(hearing, outcome, now)
    return outcome


def file_if_filed(hearing, outcome, now):
    """A response registered after the hearing's case was filed joins the case: the
    export is asked for again and files only what is new. A closed case takes nothing."""
    if phase_of(hearing, now) not in ENDED:
        return  # filed with the others when the hearing closes
    export = HearingExport.objects.filter(hearing=hearing).first()
    if export is None:
        return  # never filed: the closing job (or a person) files everything
    if export.case_closed_at is not None:
        outcome.case_closed = True
        return
    exports.request_export(hearing, now)
    outcome.export_requested = True
