"""The responses of a hearing as export items: one PDF/A per response, then its
attachments as documents related to it.

MERGE: ``HearingResponse`` is built on the responding branch. Until it is merged,
``response_documents`` returns nothing and exports file the hearing text, its
attachments and the conclusion only. At merge, replace the body below with:

    from hearings.models import HearingResponse

    responses = HearingResponse.objects.filter(hearing=hearing).exclude(
        status__in=["withdrawn", "rejected"]
    ).select_related("respondent").order_by("submitted_at", "pk")
    if approved_only:
        responses = responses.filter(status="published")
    items = []
    for number, response in enumerate(responses, start=1):
        key = f"response-{response.pk}"
        html = render("hearings/exports/response.html",
                      {"hearing": hearing, "response": response, "number": number})
        items.append(pdf_item(key, "response", f"Høringssvar {response.reference}",
                              f"10-response-{number:04d}-{response.reference}.pdf", html))
        for attachment in <the response's attachments>:
            item = file_item(f"{key}-attachment-{attachment.pk}", "response_attachment",
                             attachment.<name>, attachment.<file>, parent_key=key)
            item.filename = f"10-response-{number:04d}-{item.filename}"
            items.append(item)
    return items

The template ``hearings/exports/response.html`` is ready and renders ``answers``
(keyed by question id, each with its label snapshot).
"""


def response_documents(hearing, approved_only=True):
    """Export items for the responses of ``hearing`` (MERGE: see the module docstring)."""
    return []
