"""All responses of a hearing as one PDF for reading and the case file (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hearings.exports.tabular import answer_text, export_responses
from hearings.moderation import ordered_question_ids


def responses_pdf(hearing):
    """The PDF as bytes: every handed-in response with all its answers, unredacted."""
    from weasyprint import HTML

    return HTML(string=responses_html(hearing), base_url=str(settings.BASE_DIR)).write_pdf()


def responses_html(hearing):
    items = []
    for response in export_responses(hearing):
        answers = [
            (response.answers[qid].get("label", ""), answer_text(response.answers[qid]))
            for qid in ordered_question_ids(hearing, response.answers)
        ]
        items.append({"response": response, "answers": answers})
    return render_to_string(
        "hearings/moderation/responses_pdf.html",
        {"hearing": hearing, "items": items, "generated_at": timezone.now()},
    )
