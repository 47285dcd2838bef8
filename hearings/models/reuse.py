"""Reusable parts of hearings: consent texts and response-form templates (snippets)."""

import uuid

from django.db import models, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from hearings.blocks.questions import ResponseFormBlock

from .library import site_field


class ConsentText(index.Indexed, models.Model):
    """A text respondents agree to, e.g. publication of their answer.

    Every change of the text raises ``version``; an answer records the version (and a
    copy of the text) the person agreed to, so a later edit never changes what they
    consented to.
    """

    title = models.CharField(_("title"), max_length=200)
    text = RichTextField(_("text"), features=["bold", "italic", "link", "ol", "ul"])
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    site = site_field()

    panels = [FieldPanel("title"), FieldPanel("text"), FieldPanel("site")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk:
                old = ConsentText.objects.select_for_update().filter(pk=self.pk).first()
                if old and old.text != self.text:
                    self.version = old.version + 1
            super().save(*args, **kwargs)

    @property
    def plain_text(self):
        return strip_tags(self.text)


class ResponseFormTemplate(index.Indexed, models.Model):
    """A ready-made set of questions; a hearing type can name one as its default."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    questions = StreamField(ResponseFormBlock(), verbose_name=_("questions"), blank=True)
    site = site_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("questions"),
        FieldPanel("site"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("response form template")
        verbose_name_plural = _("response form templates")

    def __str__(self):
        return self.name

    def questions_for_new_hearing(self):
        """The template's questions as raw stream data with new block ids.

        A hearing gets fresh ids for its copy, so answers never point at a template.
        """
        data = self.questions.get_prep_value()
        return [
            {"type": child["type"], "value": child["value"], "id": str(uuid.uuid4())}
            for child in data
        ]
