"""Blocks for the body of a hearing: the text the audience reads before answering."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "hearings/blocks/heading.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "hearings/blocks/document.html"


class FactsBlock(blocks.StructBlock):
    """Key facts in a definition list, e.g. "Decided by: The city council"."""

    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("term", blocks.CharBlock(label=_("Term"))),
                ("description", blocks.CharBlock(label=_("Description"))),
            ]
        ),
        label=_("Facts"),
    )

    class Meta:
        icon = "list-ul"
        label = _("Key facts")
        template = "hearings/blocks/facts.html"


class HearingContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
    )
    image = ImageBlock(label=_("Image"))
    document = DocumentBlock()
    facts = FactsBlock()
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    text_block = SnippetChooserBlock(
        "hearings.TextBlockSnippet",
        label=_("Text block from the library"),
        icon="doc-full",
        template="hearings/blocks/text_block.html",
    )
