"""The responses of a hearing as export items: one PDF/A per response, then its
attachments as documents related to it, and the register of every response handed in.

Every response handed in and not withdrawn is filed as it was received, whatever
moderation decides about publishing it (``HearingResponse.objects.to_file``); a site
that chose "published only" files the published ones alone. The moderation status
travels in the metadata, as it is when the document is filed, and is not part of the
document: approving or rejecting a response later files nothing new. Withdrawn
responses are not filed, but the response register lists them. Each document is named
and headed by the response's reference and carries its sender, received time and
reference as metadata.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from hearings.answers import answer_rows
from hearings.exports.items import file_item, pdf_item, render
from hearings.exports.pdf import municipality_for
from hearings.models import HearingResponse, ResponseStatus
from hearings.senders import SENDER_RELATIONS, registration_note, sender_of

REGISTER_KEY = "response-register"


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def response_metadata(response, sender):
    """What the ESDH system records about a response document (and its attachments)."""
    return {
        "reference": response.reference,
        "sender_name": sender.name,
        "sender_department": sender.department,
        "on_behalf_of": sender.on_behalf_of,
        "received_at": _iso(response.submitted_at),
        "received_by": response.channel,
        "moderation_status": response.status,
        "registered_by": (response.registered_by.get_username() if response.registered_by else ""),
        "registered_at": _iso(response.registered_at),
    }


def _gettext(message, **values):
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext(message)) % values


def response_documents(hearing, approved_only=False):
    """Export items for the responses of ``hearing``, each followed by its attachments."""
    return list(iter_response_documents(hearing, approved_only))


# Responses read at a time by an export: the run holds one chunk's items, not all.
CHUNK = 200


def iter_response_documents(hearing, approved_only=False):
    """``response_documents`` one at a time, the responses read in chunks of ``CHUNK``
    (each chunk with its attachments in one more query)."""
    responses = (
        HearingResponse.objects.filter(hearing=hearing)
        .to_file(approved_only)
        .select_related(*SENDER_RELATIONS)
        .prefetch_related("attachments")
        .order_by("sequence", "pk")
    )
    municipality = municipality_for(hearing)
    for response in responses.iterator(chunk_size=CHUNK):
        yield from _response_items(hearing, response, municipality)


def _response_items(hearing, response, municipality):
    """The response's PDF item, then one item per attachment it kept."""
    items = []
    key = f"response-{response.pk}"
    sender = sender_of(response)
    metadata = response_metadata(response, sender)
    html = render(
        "hearings/exports/response.html",
        {
            "hearing": hearing,
            "municipality": municipality,
            "response": response,
            "sender": sender,
            "registration": registration_note(response),
            "answer_rows": answer_rows(hearing, response.answers),
        },
    )
    item = pdf_item(
        key,
        "response",
        _gettext(gettext_noop("Response %(reference)s"), reference=response.reference),
        f"10-response-{response.reference}.pdf",
        html,
    )
    item.metadata = metadata
    item.response_pk = response.pk
    items.append(item)
    for attachment in response.attachments.all():
        if attachment.removed_at is not None:
            continue
        item = file_item(
            f"{key}-attachment-{attachment.pk}",
            "response_attachment",
            attachment.name,
            attachment.file,
            parent_key=key,
            mime_type=attachment.content_type,
        )
        item.filename = f"10-response-{response.reference}-{item.filename}"
        item.metadata = metadata
        item.response_pk = response.pk
        items.append(item)
    return items


def register_rows(hearing):
    """Every response handed in, withdrawn ones too, in order of arrival."""
    responses = (
        HearingResponse.objects.filter(hearing=hearing)
        .handed_in()
        .select_related(*SENDER_RELATIONS)
        .order_by("sequence", "pk")
    )
    return [
        {
            "response": response,
            "sender": sender_of(response),
            "registration": registration_note(response),
        }
        for response in responses
    ]


def register_documents(hearing):
    """The response register: reference, sender, received and withdrawn time of every
    response handed in, so the case shows the withdrawn ones too. None before the first
    response is handed in."""
    rows = register_rows(hearing)
    if not rows:
        return []
    html = render("hearings/exports/register.html", {"hearing": hearing, "rows": rows})
    item = pdf_item(
        REGISTER_KEY,
        "response_register",
        _gettext(gettext_noop("Response register: %(title)s"), title=hearing.title),
        "09-response-register.pdf",
        html,
        parent_key="hearing-text",
    )
    item.metadata = {
        "responses": len(rows),
        "withdrawn": [
            row["response"].reference
            for row in rows
            if row["response"].status == ResponseStatus.WITHDRAWN
        ],
    }
    return [item]
