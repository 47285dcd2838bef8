"""What an export files: items built from a hearing, each with a checksum of its source.

The checksum is taken from the *source* (the rendered HTML, an attachment's bytes),
not from the PDF: WeasyPrint stamps each PDF with its creation time, so the same
hearing would give a new PDF every run. Comparing sources is what lets a re-run file
nothing, and a changed source be filed again in its final form.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from hearings.esdh.base import clean_filename
from hearings.memo.pdf import memo_document_html
from hearings.phases import has_conclusion

from .pdf import html_to_pdfa, municipality_for


@dataclass
class ExportItem:
    source_key: str  # stable for the source item, whatever its version
    kind: str  # hearing_text, attachment, response, response_attachment, conclusion
    title: str
    filename: str
    source: bytes  # what the checksum is computed from
    build: Callable[[], bytes]  # produces the file to file (e.g. the PDF/A)
    mime_type: str = "application/pdf"
    parent_key: str | None = None
    # What the ESDH system records beside the hearing's own metadata (e.g. a response's
    # reference, sender and received time).
    metadata: dict = field(default_factory=dict)
    # The checksum when it is computed without holding the source (a file's bytes).
    digest: str = ""
    # The response the item belongs to (its PDF or an attachment), if any.
    response_pk: int | None = None
    # The HTML a PDF item is rendered from (so a worker process can render it).
    html: str | None = None

    @property
    def checksum(self):
        return self.digest or hashlib.sha256(self.source).hexdigest()


def pdf_item(source_key, kind, title, filename, html, parent_key=None):
    return ExportItem(
        source_key=source_key,
        kind=kind,
        title=title,
        filename=filename,
        source=html.encode("utf-8"),
        build=lambda: html_to_pdfa(html),
        parent_key=parent_key,
        html=html,
    )


def file_item(source_key, kind, title, django_file, parent_key=None, mime_type=None):
    """An uploaded file (a Wagtail document, an attachment) filed as it is.

    Its checksum is read in chunks and its bytes only when it is filed, so an export of
    many attachments holds one at a time."""
    digest = hashlib.sha256()
    with django_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    name = clean_filename(django_file.name.rsplit("/", 1)[-1])
    storage, stored_name = django_file.storage, django_file.name

    def read():
        with storage.open(stored_name, "rb") as handle:
            return handle.read()

    return ExportItem(
        source_key=source_key,
        kind=kind,
        title=title,
        filename=name,
        source=b"",
        build=read,
        mime_type=mime_type or "application/octet-stream",
        parent_key=parent_key,
        digest=digest.hexdigest(),
    )


def render(template, context):
    """A case-file document's HTML, in the default language, with the municipality of
    its hearing (``municipality``: name, CVR, contact) as its author."""
    hearing = context.get("hearing")
    if "municipality" not in context and hearing is not None:
        context = {**context, "municipality": municipality_for(hearing)}
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def hearing_items(hearing):
    """The hearing text as PDF/A, then the documents attached in its body."""
    html = render("hearings/exports/hearing.html", {"hearing": hearing})
    with translation.override(settings.LANGUAGE_CODE):
        title = str(translation.gettext("Hearing text"))
    items = [
        pdf_item(
            "hearing-text", "hearing_text", f"{title}: {hearing.title}", "01-hearing.pdf", html
        )
    ]
    seen = set()
    for block in hearing.body:
        if block.block_type != "document" or block.value["document"] is None:
            continue
        document = block.value["document"]
        if document.pk in seen:
            continue
        seen.add(document.pk)
        item = file_item(
            f"attachment-{document.pk}",
            "attachment",
            block.value.get("title") or document.title,
            document.file,
            parent_key="hearing-text",
        )
        item.filename = clean_filename(f"02-attachment-{document.pk}-{item.filename}")
        items.append(item)
    return items


def conclusion_items(hearing):
    if not has_conclusion(hearing):
        return []
    html = render("hearings/exports/conclusion.html", {"hearing": hearing})
    with translation.override(settings.LANGUAGE_CODE):
        title = str(translation.gettext("Conclusion"))
    return [
        pdf_item(
            "conclusion",
            "conclusion",
            f"{title}: {hearing.title}",
            "99-conclusion.pdf",
            html,
            parent_key="hearing-text",
        )
    ]


def memo_items(hearing):
    """The approved hearing memo, filed with the conclusion (not before it)."""
    if not (has_conclusion(hearing) and hearing.memo_approved):
        return []
    html = memo_document_html(hearing)
    with translation.override(settings.LANGUAGE_CODE):
        title = str(translation.gettext("Hearing memo"))
    return [
        pdf_item(
            "memo",
            "memo",
            f"{title}: {hearing.title}",
            "98-hearing-memo.pdf",
            html,
            parent_key="hearing-text",
        )
    ]
