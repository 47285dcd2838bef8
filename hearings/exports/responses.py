"""The responses of a hearing as export items: one PDF/A per response, then its
attachments as documents related to it.

Withdrawn, rejected and draft responses are never filed; with ``approved_only`` (the
site setting) only published ones are (``HearingResponse.objects.to_file``). An amended
response is filed in the form it has when the export runs.
"""

from hearings.answers import answer_rows
from hearings.exports.items import file_item, pdf_item, render
from hearings.models import HearingResponse


def response_documents(hearing, approved_only=True):
    """Export items for the responses of ``hearing``, each followed by its attachments."""
    responses = (
        HearingResponse.objects.filter(hearing=hearing)
        .to_file(approved_only)
        .select_related("respondent")
        .prefetch_related("attachments")
        .order_by("submitted_at", "pk")
    )
    items = []
    for number, response in enumerate(responses, start=1):
        key = f"response-{response.pk}"
        html = render(
            "hearings/exports/response.html",
            {
                "hearing": hearing,
                "response": response,
                "number": number,
                "answer_rows": answer_rows(hearing, response.answers),
            },
        )
        items.append(
            pdf_item(
                key,
                "response",
                f"Høringssvar {response.reference}",
                f"10-response-{number:04d}-{response.reference}.pdf",
                html,
            )
        )
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
            item.filename = f"10-response-{number:04d}-{item.filename}"
            items.append(item)
    return items
