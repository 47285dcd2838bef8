"""The shared library: reusable text blocks chosen into a hearing's body."""

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index


def site_field():
    """The optional municipality of a library item: empty means shared by every site."""
    return models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to share it with every municipality of the installation."),
    )


class TextBlockSnippet(index.Indexed, models.Model):
    """A standard paragraph many hearings repeat, e.g. "Om høringen".

    A hearing's body chooses it; the page shows the block's current text.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("A short unique key that names the text block across installations."),
    )
    text = RichTextField(
        _("text"),
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link", "image"],
    )
    site = site_field()

    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("text"), FieldPanel("site")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")
        permissions = [
            (
                "share_library_items",
                _(
                    "Can share library items (text blocks, consent texts, form templates and "
                    "hearing types) with every municipality"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def plain_text(self):
        return strip_tags(self.text)
