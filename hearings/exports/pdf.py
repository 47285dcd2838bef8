"""PDF with WeasyPrint: HTML to archival PDF (PDF/A-3b) from local files only, and all
responses of a hearing as one PDF for reading and the case file."""

import mimetypes
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from hearings.answers import answer_rows
from hearings.exports.pdf_workers import PDF_VARIANT
from hearings.exports.tabular import CHUNK, export_responses
from hearings.models import MunicipalitySettings
from hearings.senders import registration_note, sender_of
from hearings.sites import site_of_path

# Inside ``shared_fonts()``: the font configuration and image cache every PDF rendered
# uses, instead of new ones per document (#16: an ESDH export of 1,000 responses spent
# 40 % of each PDF's time setting fonts up, and memory grew with every document).
_shared = ContextVar("agora_pdf_shared", default=None)


@contextmanager
def shared_fonts():
    """Render the PDFs built inside with one font configuration and one image cache
    (set up at the first PDF rendered here: an export whose PDFs all go to the worker
    processes never loads WeasyPrint)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _shared_setup():
    shared = _shared.get()
    if shared is None:
        return {}
    if not shared:
        from weasyprint.text.fonts import FontConfiguration

        shared.update(font_config=FontConfiguration(), cache={})
    return shared


# Images under MEDIA_URL are read from the storage (disk or object storage), never over HTTP.
MEDIA_SCHEME = "agora-media:"


def html_to_pdfa(html, target=None):
    """Render ``html`` to PDF/A bytes (or into the binary file ``target``). Media files
    are read from the storage, never over HTTP."""
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
        target, pdf_variant=PDF_VARIANT, **_shared_setup()
    )


def municipality_for(hearing):
    """The municipality of ``hearing``'s site (found by its place in the page tree, with
    the same queries every time, creating nothing: a document builder asks once, not once
    per response)."""
    site_id = site_of_path(hearing.path) if hearing.path else None
    found = MunicipalitySettings.objects.select_related("site").filter(site_id=site_id).first()
    if found is None:  # defaults: the site's name
        return MunicipalitySettings(site=Site.objects.filter(pk=site_id).first())
    return found


def responses_pdf(hearing, theme=None, tag=None):
    """The PDF/A as bytes: every handed-in response with all its answers, unredacted
    (only those with ``theme`` and/or free ``tag`` when given)."""
    return html_to_pdfa(responses_html(hearing, theme, tag))


def responses_pdf_file(hearing, theme=None, tag=None):
    """The same PDF/A in a temporary file (on disk past 8 MB), rewound for streaming."""
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    html_to_pdfa(responses_html(hearing, theme, tag), target)
    target.seek(0)
    return target


def responses_html(hearing, theme=None, tag=None):
    responses = export_responses(hearing, theme, tag)
    items = (
        {
            "response": response,
            "answers": answer_rows(hearing, response.answers),
            "sender": sender_of(response),
            "registration": registration_note(response),
        }
        for response in responses.iterator(chunk_size=CHUNK)
    )
    return render_to_string(
        "hearings/moderation/responses_pdf.html",
        {
            "hearing": hearing,
            "items": items,
            "count": responses.count(),
            "generated_at": timezone.now(),
            "municipality": municipality_for(hearing),
        },
    )
