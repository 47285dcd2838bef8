"""HTML to archival PDF (PDF/A-3b) with WeasyPrint, using only local files."""

from django.conf import settings

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
