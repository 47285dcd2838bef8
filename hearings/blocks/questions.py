"""Blocks for a hearing's response form: the questions the audience answers.

Every question is a StreamField child, so it has a stable block id; answers are
stored keyed by that id (see ``hearings.models.responses``). Choices are
``ListBlock`` items, and Wagtail stores an id with every list item: that id is the
option's stable id, so an editor may reword an option without orphaning answers.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class FileType:
    """The attachment types Agora accepts; checked by content in ``hearings.attachments``."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    PNG = "png"
    JPEG = "jpeg"
    TXT = "txt"

    CHOICES = [
        (PDF, "PDF"),
        (DOCX, _("Word (DOCX)")),
        (XLSX, _("Excel (XLSX)")),
        (ODT, _("OpenDocument text (ODT)")),
        (PNG, "PNG"),
        (JPEG, "JPEG"),
        (TXT, _("Plain text (TXT)")),
    ]
    ALL = [value for value, __ in CHOICES]


class OnBehalfOf:
    MYSELF = "myself"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"

    CHOICES = [
        (MYSELF, _("Myself")),
        (DEPARTMENT, _("My department")),
        (ORGANISATION, _("An organisation")),
    ]


class QuestionBlock(blocks.StructBlock):
    """What every question has: a label, a help text and whether it must be answered."""

    label = blocks.CharBlock(label=_("Question"), max_length=500)
    help_text = blocks.TextBlock(label=_("Help text"), required=False, rows=2)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=True)

    is_question = True

    class Meta:
        icon = "help"
        form_classname = "agora-question-block"


class ShortTextQuestionBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("Maximum length (characters)"), min_value=1, max_value=1000, default=250
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class LongTextQuestionBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("Maximum length (characters)"), min_value=1, max_value=50_000, default=5000
    )

    class Meta:
        icon = "doc-full"
        label = _("Long text")


def options_block():
    return blocks.ListBlock(
        blocks.CharBlock(label=_("Option"), max_length=300),
        label=_("Options"),
        min_num=2,
        help_text=_("Rewording an option keeps the answers given to it."),
    )


class SingleChoiceQuestionBlock(QuestionBlock):
    options = options_block()

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceQuestionBlock(QuestionBlock):
    options = options_block()
    min_choices = blocks.IntegerBlock(
        label=_("Minimum number of choices"), required=False, min_value=0
    )
    max_choices = blocks.IntegerBlock(
        label=_("Maximum number of choices"), required=False, min_value=1
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_choices"), value.get("max_choices")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={
                    "max_choices": ValidationError(_("The maximum must be at least the minimum."))
                }
            )
        return value


class ScaleQuestionBlock(QuestionBlock):
    min_value = blocks.IntegerBlock(label=_("Lowest value"), default=1, min_value=0)
    max_value = blocks.IntegerBlock(label=_("Highest value"), default=5, max_value=10)
    min_label = blocks.CharBlock(
        label=_("Label for the lowest value"), required=False, max_length=100
    )
    max_label = blocks.CharBlock(
        label=_("Label for the highest value"), required=False, max_length=100
    )

    class Meta:
        icon = "order"
        label = _("Scale")

    def clean(self, value):
        value = super().clean(value)
        if value["min_value"] >= value["max_value"]:
            raise StructBlockValidationError(
                block_errors={
                    "max_value": ValidationError(
                        _("The highest value must be above the lowest value.")
                    )
                }
            )
        return value


class YesNoQuestionBlock(QuestionBlock):
    class Meta:
        icon = "tick"
        label = _("Yes/no")


class FileUploadQuestionBlock(QuestionBlock):
    max_files = blocks.IntegerBlock(
        label=_("Maximum number of files"), min_value=1, max_value=20, default=3
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("Maximum size per file (MB)"),
        min_value=1,
        default=20,
        help_text=_("The installation's own limit applies if it is lower."),
    )
    allowed_types = blocks.MultipleChoiceBlock(
        label=_("Allowed file types"),
        choices=FileType.CHOICES,
        default=FileType.ALL,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("File upload")


class ConsentQuestionBlock(QuestionBlock):
    """Agreement to a versioned consent text; the answer records the version agreed to."""

    consent_text = SnippetChooserBlock("hearings.ConsentText", label=_("Consent text"))

    class Meta:
        icon = "lock"
        label = _("Consent")


class OnBehalfOfQuestionBlock(QuestionBlock):
    """Who the answer is given for: the person, their department or an organisation."""

    allowed = blocks.MultipleChoiceBlock(
        label=_("Choices offered"),
        choices=OnBehalfOf.CHOICES,
        default=[value for value, __ in OnBehalfOf.CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        icon = "group"
        label = _("On behalf of")


class InformationBlock(blocks.StructBlock):
    """Text between questions: a heading and/or a paragraph. Not a question."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    text = blocks.RichTextBlock(
        label=_("Text"), required=False, features=["bold", "italic", "link"]
    )

    is_question = False

    class Meta:
        icon = "info-circle"
        label = _("Text or heading")


class ResponseFormBlock(blocks.StreamBlock):
    short_text = ShortTextQuestionBlock()
    long_text = LongTextQuestionBlock()
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    scale = ScaleQuestionBlock()
    yes_no = YesNoQuestionBlock()
    file_upload = FileUploadQuestionBlock()
    consent = ConsentQuestionBlock()
    on_behalf_of = OnBehalfOfQuestionBlock()
    information = InformationBlock()

    class Meta:
        block_counts = {"on_behalf_of": {"max_num": 1}}


def questions(stream_value):
    """The question children of a response-form stream (skipping text blocks)."""
    return [child for child in stream_value if getattr(child.block, "is_question", False)]


def option_list(question_value):
    """[(option id, label), ...] for a choice question's value."""
    return [(child.id, child.value) for child in question_value["options"].bound_blocks]
