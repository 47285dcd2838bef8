"""PDF with WeasyPrint: HTML to archival PDF (PDF/A-3b) from local files only, and all
responses of a hearing as one PDF for reading and the case file."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hearings.answers import answer_rows
from hearings.exports.tabular import export_responses
from hearings.senders import registration_note, sender_of

PDF_VARIANT = "pdf/a-3b"


def html_to_pdfa(html):
    """Render ``html`` to PDF/A bytes. Media files are read from disk, never over HTTP."""
    from weasyprint import HTML  # imported here: it is slow to import and only jobs need it
    from weasyprint.urls import URLFetcher

    media_url = settings.MEDIA_URL
    html = html.replace(f'src="{media_url}', f'src="file://{settings.MEDIA_ROOT}/')
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=str(settings.MEDIA_ROOT), url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def responses_pdf(hearing):
    """The PDF/A as bytes: every handed-in response with all its answers, unredacted."""
    return html_to_pdfa(responses_html(hearing))


def responses_html(hearing):
    items = [
        {
            "response": response,
            "answers": answer_rows(hearing, response.answers),
            "sender": sender_of(response),
            "registration": registration_note(response),
        }
        for response in export_responses(hearing)
    ]
    return render_to_string(
        "hearings/moderation/responses_pdf.html",
        {"hearing": hearing, "items": items, "generated_at": timezone.now()},
    )
