"""The hearing memo (høringsnotat): built from a hearing's parties, responses, themes
and comments, edited by the case officer, and produced as DOCX and PDF/A.

One text, two formats: ``draft_html`` writes the memo as simple HTML (headings,
paragraphs, lists), in the order of Danish practice — the hearing, the parties heard and
who answered, the responses by theme with the administration's comment, each response
with its reference and comment, the changes to the proposal. That HTML seeds the
hearing's rich-text ``memo`` field; ``memo_html`` is the edited text when there is one,
else the draft; ``hearings.memo.docx`` and ``hearings.memo.pdf`` render it.
"""

from .build import draft_html, memo_html, memo_title

__all__ = ["draft_html", "memo_html", "memo_title"]
