"""PDF with WeasyPrint: HTML to archival PDF (PDF/A-3b) from local files only, and all
responses of a hearing as one PDF for reading and the case file."""

import mimetypes
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from hearings.answers import answer_rows
from hearings.exports.tabular import export_responses
from hearings.senders import registration_note, sender_of

PDF_VARIANT = "pdf/a-3b"


# Images under MEDIA_URL are read from the storage (disk or object storage), never over HTTP.
MEDIA_SCHEME = "agora-media:"


def html_to_pdfa(html):
    """Render ``html`` to PDF/A bytes. Media files are read from the storage, never over HTTP."""
    from weasyprint import HTML  # imported here: it is slow to import and only jobs need it
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StorageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(MEDIA_SCHEME):
                return super().fetch(url, headers)
            name = unquote(url.removeprefix(MEDIA_SCHEME))
            with default_storage.open(name, "rb") as stored:
                body = stored.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    html = html.replace(f'src="{settings.MEDIA_URL}', f'src="{MEDIA_SCHEME}')
    fetcher = StorageFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=str(settings.MEDIA_ROOT), url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def responses_pdf(hearing, theme=None, tag=None):
    """The PDF/A as bytes: every handed-in response with all its answers, unredacted
    (only those with ``theme`` and/or free ``tag`` when given)."""
    return html_to_pdfa(responses_html(hearing, theme, tag))


def responses_html(hearing, theme=None, tag=None):
    items = [
        {
            "response": response,
            "answers": answer_rows(hearing, response.answers),
            "sender": sender_of(response),
            "registration": registration_note(response),
        }
        for response in export_responses(hearing, theme, tag)
    ]
    return render_to_string(
        "hearings/moderation/responses_pdf.html",
        {"hearing": hearing, "items": items, "generated_at": timezone.now()},
    )
