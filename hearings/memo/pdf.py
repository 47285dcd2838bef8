"""The memo as PDF/A, through the exports' WeasyPrint pipeline (``html_to_pdfa``)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from hearings.exports.pdf import html_to_pdfa

from .build import memo_html, memo_title


def memo_document_html(hearing):
    """The whole HTML document the PDF is made from (also the ESDH item's source)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "hearings/memo/document.html",
            {"hearing": hearing, "title": memo_title(hearing), "body": memo_html(hearing)},
        )


def memo_pdf(hearing):
    """The hearing's memo as PDF/A bytes."""
    return html_to_pdfa(memo_document_html(hearing))
