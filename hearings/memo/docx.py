"""The memo as DOCX (python-docx): the memo's HTML walked into Word paragraphs.

Only what the memo and the rich-text editor write is understood — h1–h4, p, ul/ol with
li, b/strong, i/em, a, br; anything else contributes its text. The result opens in Word
and LibreOffice, and reads back with python-docx.
"""

import io
import re
from html.parser import HTMLParser

from django.utils import timezone
from docx import Document
from docx.shared import Pt

from .build import memo_html, memo_title

HEADINGS = {"h1": 1, "h2": 1, "h3": 2, "h4": 3}
# Characters XML 1.0 cannot hold (python-docx refuses them): a staff comment pasted from
# elsewhere must not make the memo fail.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BLOCKS = {"p", "li", *HEADINGS}


class _Writer(HTMLParser):
    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph = None
        self.bold = self.italic = 0
        self.lists = []  # "ul" / "ol" stack

    def _start(self, tag):
        if tag in HEADINGS:
            self.paragraph = self.document.add_heading("", level=HEADINGS[tag])
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.paragraph = self.document.add_paragraph(style=style)
        else:
            self.paragraph = self.document.add_paragraph()

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._start(tag)
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.paragraph = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("i", "em"):
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data):
        data = NOT_XML.sub("", data)
        text = " ".join(data.split())
        if not text:
            return
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace():
            text += " "
        if self.paragraph is None:
            self._start("p")
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


def html_to_docx(html, title):
    """A DOCX (bytes) with ``title`` as its title and ``html`` as its body."""
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = NOT_XML.sub("", title)[:255]
    document.core_properties.created = timezone.now()
    document.add_heading(NOT_XML.sub("", title), level=0)
    writer = _Writer(document)
    writer.feed(html)
    writer.close()
    target = io.BytesIO()
    document.save(target)
    return target.getvalue()


def memo_docx(hearing):
    """The hearing's memo as DOCX bytes."""
    return html_to_docx(memo_html(hearing), memo_title(hearing))
