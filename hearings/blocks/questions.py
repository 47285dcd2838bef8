"""The question types of a hearing's response form: each one class that owns its behaviour.

Every question is a StreamField child, so it has a stable block id; answers are stored
keyed by that id (see ``hearings.models.responses``). Choices are ``ListBlock`` items,
and Wagtail stores an id with every list item: that id is the option's stable id, so an
editor may reword an option without orphaning answers.

A question type is one ``QuestionBlock`` subclass plus its form template
(``hearings/responding/questions/<type>.html``). The class owns:

- its form field(s) and their checks (``form_fields``, ``clean_fields``);
- how its answer is stored and read back (``answer``, ``draft_value``, ``initial``);
- how its answer arrives as JSON through the responses API (``form_data``);
- how its answer reads as text (``answer_text``: receipts, exports, PDFs, public page);
- what the summary report counts (``report_choices``);
- what the API's form schema and the form's version fingerprint say of it.

``hearings.forms``, ``hearings.api`` and ``hearings.reports`` ask the block; none of
them names a question type. Adding one is a class here, its line in
``ResponseFormBlock`` and its template.
"""

import hashlib
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from hearings.filetypes import FileType, accept_list

MAX_DRAFT_TEXT = 50_000
YES, NO = "yes", "no"


def field_name(question_id):
    """The answer form's field for a question: ``q-<block id>``."""
    return f"q-{question_id}"


class OnBehalfOf:
    MYSELF = "myself"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"

    CHOICES = [
        (MYSELF, gettext_lazy("Myself")),
        (DEPARTMENT, gettext_lazy("My department")),
        (ORGANISATION, gettext_lazy("An organisation")),
    ]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Shown as the file input; the files themselves are handled by ``stash_uploads``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return []


class NumberBlock(blocks.IntegerBlock):
    """A whole number that reads back from the editor's form as a number.

    Wagtail's ``IntegerBlock`` returns the posted text ('5') until the form is cleaned,
    while the stored value is 5. The page editor compares the two to decide whether
    the page changed; with ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` a "change"
    turns every approval into a new revision and a new review. Text that is not a
    number is kept as it is, for ``clean`` to report.
    """

    def value_from_form(self, value):
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return value


class AnswerShapeError(ValueError):
    """An API answer of the wrong JSON shape for its question; the message says which."""


class QuestionBlock(blocks.StructBlock):
    """What every question has: a label, a help text and whether it must be answered.

    The methods below are the defaults of a question answered by one text field; each
    question type overrides what differs. ``question_id`` is the block id, ``value``
    the block's value (label, options, limits), ``form`` the ``ResponseForm``.
    """

    label = blocks.CharBlock(label=gettext_lazy("Question"), max_length=500)
    help_text = blocks.TextBlock(label=gettext_lazy("Help text"), required=False, rows=2)
    required = blocks.BooleanBlock(
        label=gettext_lazy("Answer required"), required=False, default=True
    )

    is_question = True
    # The error summary links to the first option of a group of radios or checkboxes.
    grouped_input = False
    # Shown with a published response on the hearing page.
    published = True
    # Takes uploaded files (see ``upload_rules``).
    accepts_files = False
    # Answered by choosing a hearing party under "Answer as" (``answer_as_party``): not
    # asked then, and hidden on the page while a party is chosen.
    answered_by_party = False
    # Its answer identifies nobody (a choice, not words or files): kept when a response
    # is anonymised (``hearings.retention``).
    anonymous = False

    class Meta:
        icon = "help"
        form_classname = "agora-question-block"

    @property
    def form_template(self):
        return f"hearings/responding/questions/{self.name}.html"

    # The form ---------------------------------------------------------------------

    def form_field(self, value, **common):
        return forms.CharField(**common)

    def form_fields(self, question_id, value, form):
        """{field name: Django form field} for this question in ``form``."""
        common = {
            "label": value["label"],
            "required": bool(value["required"]) and not form.draft,
            "help_text": value["help_text"],
        }
        return {field_name(question_id): self.form_field(value, **common)}

    def initial_values(self, question_id, value, form):
        """Field values a new, empty form starts with."""
        return {}

    def clean_fields(self, question_id, value, form, cleaned):
        """Checks across this question's fields; errors go to ``form.add_error``."""

    def answer_as_party(self, question_id, party, cleaned):
        """Answer an ``answered_by_party`` question in ``cleaned`` for ``party``."""

    # The stored answer -----------------------------------------------------------

    def answer(self, question_id, value, form, cleaned):
        """The stored answer's ``value`` and ``display`` (and more) from cleaned data."""
        raw = cleaned.get(field_name(question_id))
        return {"value": raw or "", "display": raw or ""}

    def draft_value(self, question_id, value, form):
        """What the person typed, unvalidated, as the stored ``value`` of a draft."""
        return form.data.get(field_name(question_id), "")[:MAX_DRAFT_TEXT]

    def initial(self, question_id, stored_value):
        """Form field values from a stored answer's ``value``."""
        if stored_value is None:
            return {}
        return {field_name(question_id): stored_value}

    def on_behalf_of(self, question_id, cleaned):
        """(kind, name) when this question says whom the answer is for; else None."""
        return None

    def chosen_options(self, stored_value):
        """Option ids a stored answer chose (an option in use cannot be removed)."""
        return set()

    def option_ids(self, value):
        return set()

    # The responses API ------------------------------------------------------------

    def form_data(self, question_id, answer, data):
        """Put an API answer (JSON) into ``data`` as the form would post it, or raise
        ``AnswerShapeError``."""
        if isinstance(answer, (str, int, float)) and not isinstance(answer, bool):
            data[field_name(question_id)] = str(answer)
        else:
            raise AnswerShapeError(_("Give a text or a number."))

    def schema(self, question_id, value):
        """The question as plain data for the API: id, type, label, limits, options."""
        entry = {"id": question_id, "type": self.name}
        for key, field_value in value.items():
            if isinstance(field_value, (list, tuple)):
                field_value = list(field_value)
            entry[key] = field_value
        return entry

    def outline(self, question_id, value):
        """What the form's version fingerprint takes from this question."""
        return [question_id, self.name, value["label"], value["required"]]

    # Reading answers --------------------------------------------------------------

    def answer_text(self, answer):
        """A stored answer as one line of text (receipts, exports, PDFs, public page)."""
        display = answer.get("display")
        if display is not None:
            return str(display)
        stored = answer.get("value")
        if isinstance(stored, list):
            return ", ".join(str(item) for item in stored)
        if isinstance(stored, dict):
            return ", ".join(str(item) for item in stored.values() if item)
        return "" if stored is None else str(stored)

    def report_choices(self, value):
        """[(choice id, label)] the summary report counts answers by; None: not charted."""
        return None


class ShortTextQuestionBlock(QuestionBlock):
    max_length = NumberBlock(
        label=gettext_lazy("Maximum length (characters)"),
        min_value=1,
        max_value=1000,
        default=250,
    )

    class Meta:
        icon = "pilcrow"
        label = gettext_lazy("Short text")

    def form_field(self, value, **common):
        return forms.CharField(max_length=value["max_length"], **common)


class LongTextQuestionBlock(QuestionBlock):
    max_length = NumberBlock(
        label=gettext_lazy("Maximum length (characters)"),
        min_value=1,
        max_value=50_000,
        default=5000,
    )

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Long text")

    def form_field(self, value, **common):
        return forms.CharField(
            max_length=value["max_length"], widget=forms.Textarea, strip=False, **common
        )


def options_block():
    return blocks.ListBlock(
        blocks.CharBlock(label=gettext_lazy("Option"), max_length=300),
        label=gettext_lazy("Options"),
        min_num=2,
        default=["", ""],  # a new question starts with the two it needs, not in error
        help_text=gettext_lazy("Rewording an option keeps the answers given to it."),
    )


def option_list(question_value):
    """[(option id, label), ...] for a choice question's value."""
    return [(child.id, child.value) for child in question_value["options"].bound_blocks]


class ChoiceQuestionBlock(QuestionBlock):
    """A question answered by picking among options an editor wrote."""

    anonymous = True

    grouped_input = True

    def option_ids(self, value):
        return {option_id for option_id, __ in option_list(value)}

    def chosen_options(self, stored_value):
        return set(stored_value if isinstance(stored_value, list) else [stored_value])

    def schema(self, question_id, value):
        entry = super().schema(question_id, value)
        entry["options"] = [{"id": i, "label": label} for i, label in option_list(value)]
        return entry

    def outline(self, question_id, value):
        return super().outline(question_id, value) + [option_list(value)]

    def report_choices(self, value):
        return option_list(value)


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    options = options_block()

    class Meta:
        icon = "radio-full"
        label = gettext_lazy("Single choice")

    def form_field(self, value, **common):
        return forms.ChoiceField(choices=option_list(value), widget=forms.RadioSelect, **common)

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id))
        return {"value": raw or "", "display": dict(option_list(value)).get(raw, "")}


class MultipleChoiceQuestionBlock(ChoiceQuestionBlock):
    options = options_block()
    min_choices = NumberBlock(
        label=gettext_lazy("Minimum number of choices"), required=False, min_value=0
    )
    max_choices = NumberBlock(
        label=gettext_lazy("Maximum number of choices"), required=False, min_value=1
    )

    class Meta:
        icon = "tasks"
        label = gettext_lazy("Multiple choice")

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

    def form_field(self, value, **common):
        return forms.MultipleChoiceField(
            choices=option_list(value), widget=forms.CheckboxSelectMultiple, **common
        )

    def clean_fields(self, question_id, value, form, cleaned):
        name = field_name(question_id)
        if name not in cleaned:
            return
        count = len(cleaned[name])
        low, high = value.get("min_choices"), value.get("max_choices")
        if count and low and count < low and not form.draft:
            form.add_error(name, _("Choose at least %(count)d options.") % {"count": low})
        if high and count > high:
            form.add_error(name, _("Choose at most %(count)d options.") % {"count": high})

    def answer(self, question_id, value, form, cleaned):
        labels = dict(option_list(value))
        chosen = [
            {"id": option, "label": labels[option]}
            for option in cleaned.get(field_name(question_id)) or []
        ]
        return {
            "value": [c["id"] for c in chosen],
            "choices": chosen,
            "display": "; ".join(c["label"] for c in chosen),
        }

    def draft_value(self, question_id, value, form):
        return form.data.getlist(field_name(question_id))

    def form_data(self, question_id, answer, data):
        if not isinstance(answer, list):
            raise AnswerShapeError(_("Give a list."))
        data.setlist(field_name(question_id), [str(v) for v in answer])


class ScaleQuestionBlock(QuestionBlock):
    anonymous = True
    min_value = NumberBlock(label=gettext_lazy("Lowest value"), default=1, min_value=0)
    max_value = NumberBlock(label=gettext_lazy("Highest value"), default=5, max_value=10)
    min_label = blocks.CharBlock(
        label=gettext_lazy("Label for the lowest value"), required=False, max_length=100
    )
    max_label = blocks.CharBlock(
        label=gettext_lazy("Label for the highest value"), required=False, max_length=100
    )

    grouped_input = True

    class Meta:
        icon = "order"
        label = gettext_lazy("Scale")

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

    def form_field(self, value, **common):
        low, high = value["min_value"], value["max_value"]
        choices = []
        for number in range(low, high + 1):
            label = str(number)
            if number == low and value["min_label"]:
                label = f"{number} – {value['min_label']}"
            elif number == high and value["max_label"]:
                label = f"{number} – {value['max_label']}"
            choices.append((number, label))
        return forms.TypedChoiceField(
            choices=choices, coerce=int, widget=forms.RadioSelect, **common
        )

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id))
        display = ""
        if raw is not None and raw != "":
            display = self.scale_text(raw, value["min_value"], value["max_value"])
        return {"value": raw if raw != "" else None, "display": display}

    @staticmethod
    def scale_text(number, low, high):
        return _("%(value)s on a scale from %(low)s to %(high)s") % {
            "value": number,
            "low": low,
            "high": high,
        }

    def answer_text(self, answer):
        # In the reader's language: the stored text holds the scale's ends, in order.
        numbers = re.findall(r"-?\d+", str(answer.get("display") or ""))
        if len(numbers) == 3 and numbers[0] == str(answer.get("value")):
            return self.scale_text(*numbers)
        return super().answer_text(answer)

    def report_choices(self, value):
        low, high = value["min_value"], value["max_value"]
        return [(str(n), str(n)) for n in range(low, high + 1)]


class YesNoQuestionBlock(QuestionBlock):
    anonymous = True
    grouped_input = True

    class Meta:
        icon = "check"
        label = gettext_lazy("Yes/no")

    @staticmethod
    def choices():
        return [(YES, _("Yes")), (NO, _("No"))]

    def form_field(self, value, **common):
        return forms.ChoiceField(choices=self.choices(), widget=forms.RadioSelect, **common)

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id))
        return {"value": raw or "", "display": dict(self.choices()).get(raw, "")}

    def answer_text(self, answer):
        # In the reader's language, whichever the respondent answered in.
        return dict(self.choices()).get(answer.get("value")) or super().answer_text(answer)

    def report_choices(self, value):
        return self.choices()


class FileUploadQuestionBlock(QuestionBlock):
    max_files = NumberBlock(
        label=gettext_lazy("Maximum number of files"), min_value=1, max_value=20, default=3
    )
    max_size_mb = NumberBlock(
        label=gettext_lazy("Maximum size per file (MB)"),
        min_value=1,
        default=20,
        help_text=gettext_lazy("The installation's own limit applies if it is lower."),
    )
    allowed_types = blocks.MultipleChoiceBlock(
        label=gettext_lazy("Allowed file types"),
        choices=FileType.CHOICES,
        default=FileType.ALL,
        widget=forms.CheckboxSelectMultiple,
    )

    accepts_files = True
    published = False

    class Meta:
        icon = "doc-full-inverse"
        label = gettext_lazy("File upload")

    @staticmethod
    def keep_name(question_id):
        """The field of the files already attached that the person keeps (checked)."""
        return field_name(question_id) + "-keep"

    def upload_rules(self, value):
        """(allowed file types, largest size in MB) for files sent to this question."""
        return list(value["allowed_types"]), value["max_size_mb"]

    def accept(self, value):
        return accept_list(value.get("allowed_types") or [])

    def form_fields(self, question_id, value, form):
        fields = super().form_fields(question_id, value, form)
        name = field_name(question_id)
        fields[name] = MultipleFileField(
            label=fields[name].label, required=False, help_text=fields[name].help_text
        )
        fields[self.keep_name(question_id)] = forms.MultipleChoiceField(
            choices=[(str(a.pk), a.name) for a in form.attachments_for(question_id)],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        return fields

    def initial_values(self, question_id, value, form):
        return {
            self.keep_name(question_id): [str(a.pk) for a in form.attachments_for(question_id)]
        }

    def clean_fields(self, question_id, value, form, cleaned):
        name = field_name(question_id)
        kept = cleaned.get(self.keep_name(question_id)) or []
        if value["required"] and not kept and not form.draft and not form.has_error(name):
            form.add_error(name, _("Attach at least one file."))
        if len(kept) > value["max_files"]:
            form.add_error(
                name, _("Attach at most %(count)d files.") % {"count": value["max_files"]}
            )

    def answer(self, question_id, value, form, cleaned):
        kept = {int(pk) for pk in cleaned.get(self.keep_name(question_id)) or []}
        files = [a for a in form.attachments_for(question_id) if a.pk in kept]
        return {
            "value": [a.pk for a in files],
            "files": [
                {"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256} for a in files
            ],
            "display": ", ".join(a.name for a in files),
        }

    def draft_value(self, question_id, value, form):
        return form.kept_attachment_ids(question_id)

    def initial(self, question_id, stored_value):
        return {self.keep_name(question_id): [str(pk) for pk in stored_value or []]}

    def form_data(self, question_id, answer, data):
        if not isinstance(answer, list):
            raise AnswerShapeError(_("Give a list."))
        data.setlist(self.keep_name(question_id), [str(v) for v in answer])

    def answer_text(self, answer):
        return ", ".join(f["name"] for f in answer.get("files", []))


class ConsentQuestionBlock(QuestionBlock):
    """Agreement to a versioned consent text; the answer records the version agreed to."""

    anonymous = True

    consent_text = SnippetChooserBlock("hearings.ConsentText", label=gettext_lazy("Consent text"))

    published = False

    class Meta:
        icon = "lock"
        label = gettext_lazy("Consent")

    def form_field(self, value, **common):
        return forms.BooleanField(**common)

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id))
        text = value.get("consent_text")
        return {
            "value": bool(raw),
            "display": self.consent_given_text(bool(raw)),
            "consent_text_id": text.pk if text else None,
            "consent_version": text.version if text else None,
            "consent_text": text.plain_text if text else "",
        }

    @staticmethod
    def consent_given_text(given):
        return _("Given") if given else _("Not given")

    def answer_text(self, answer):
        stored = answer.get("value")
        if isinstance(stored, bool):  # in the reader's language
            return self.consent_given_text(stored)
        return super().answer_text(answer)

    def draft_value(self, question_id, value, form):
        return bool(form.data.get(field_name(question_id)))

    def form_data(self, question_id, answer, data):
        if answer is True:
            data[field_name(question_id)] = "on"

    def schema(self, question_id, value):
        entry = super().schema(question_id, value)
        text = value["consent_text"]
        entry["consent_text"] = (
            {"id": text.pk, "version": text.version, "text": text.plain_text} if text else None
        )
        return entry


class OnBehalfOfQuestionBlock(QuestionBlock):
    """Who the answer is given for: the person, their department or an organisation."""

    allowed = blocks.MultipleChoiceBlock(
        label=gettext_lazy("Choices offered"),
        choices=OnBehalfOf.CHOICES,
        default=[value for value, __ in OnBehalfOf.CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )

    grouped_input = True
    published = False  # shown beside a published response, not as an answer
    answered_by_party = True

    class Meta:
        icon = "group"
        label = gettext_lazy("On behalf of")

    @staticmethod
    def name_field(question_id):
        return field_name(question_id) + "-name"

    @staticmethod
    def offered(value):
        allowed = value["allowed"] or [OnBehalfOf.MYSELF]
        return [(k, label) for k, label in OnBehalfOf.CHOICES if k in allowed]

    def form_fields(self, question_id, value, form):
        fields = super().form_fields(question_id, value, form)
        name = field_name(question_id)
        fields[name] = forms.ChoiceField(
            choices=self.offered(value),
            widget=forms.RadioSelect,
            label=fields[name].label,
            required=fields[name].required,
            help_text=fields[name].help_text,
        )
        fields[self.name_field(question_id)] = forms.CharField(
            label=_("Name of the department or organisation"), max_length=300, required=False
        )
        return fields

    def initial_values(self, question_id, value, form):
        choices = self.offered(value)
        return {field_name(question_id): choices[0][0]} if len(choices) == 1 else {}

    def clean_fields(self, question_id, value, form, cleaned):
        kind = cleaned.get(field_name(question_id))
        name = self.name_field(question_id)
        if kind == OnBehalfOf.DEPARTMENT:
            # Only a department the person works in, never a free text.
            departments = form.department_names
            if not cleaned.get(name) and departments:
                cleaned[name] = departments[0]
            if not departments:
                form.add_error(name, _("You are not registered in a department."))
            elif cleaned.get(name) not in departments:
                form.add_error(
                    name,
                    _("You can only answer on behalf of your own department: %(names)s.")
                    % {"names": ", ".join(departments)},
                )
        if kind == OnBehalfOf.ORGANISATION and not cleaned.get(name):
            form.add_error(name, _("Write the name of the organisation you answer for."))

    def answer_as_party(self, question_id, party, cleaned):
        cleaned[field_name(question_id)] = OnBehalfOf.ORGANISATION
        cleaned[self.name_field(question_id)] = party.name

    def on_behalf_of(self, question_id, cleaned):
        kind = cleaned.get(field_name(question_id)) or OnBehalfOf.MYSELF
        name = cleaned.get(self.name_field(question_id), "") if kind != OnBehalfOf.MYSELF else ""
        return kind, name

    def answer(self, question_id, value, form, cleaned):
        raw = cleaned.get(field_name(question_id))
        label = dict(OnBehalfOf.CHOICES).get(raw, "")
        person = cleaned.get(self.name_field(question_id), "") if raw != OnBehalfOf.MYSELF else ""
        return {
            "value": {"kind": raw or "", "name": person},
            "display": self.behalf_text(label, person),
        }

    @staticmethod
    def behalf_text(label, person):
        return f"{label}: {person}" if person else str(label)

    def answer_text(self, answer):
        stored = answer.get("value")
        label = (
            dict(OnBehalfOf.CHOICES).get(stored.get("kind")) if isinstance(stored, dict) else None
        )
        if label is None:
            return super().answer_text(answer)
        return self.behalf_text(label, stored.get("name") or "")  # in the reader's language

    def draft_value(self, question_id, value, form):
        return {
            "kind": form.data.get(field_name(question_id), ""),
            "name": form.data.get(self.name_field(question_id), "")[:300],
        }

    def initial(self, question_id, stored_value):
        stored_value = stored_value or {}
        return {
            field_name(question_id): stored_value.get("kind", ""),
            self.name_field(question_id): stored_value.get("name", ""),
        }

    def form_data(self, question_id, answer, data):
        if isinstance(answer, str):
            answer = {"kind": answer}
        if not isinstance(answer, dict):
            raise AnswerShapeError(_('Give {"kind": ..., "name": ...}.'))
        data[field_name(question_id)] = str(answer.get("kind") or "")
        data[self.name_field(question_id)] = str(answer.get("name") or "")


class InformationBlock(blocks.StructBlock):
    """Text between questions: a heading and/or a paragraph. Not a question."""

    heading = blocks.CharBlock(label=gettext_lazy("Heading"), required=False, max_length=200)
    text = blocks.RichTextBlock(
        label=gettext_lazy("Text"), required=False, features=["bold", "italic", "link"]
    )

    is_question = False
    form_template = "hearings/responding/questions/information.html"

    class Meta:
        icon = "info-circle"
        label = gettext_lazy("Text or heading")

    def schema(self, block_id, value):
        return {
            "id": block_id,
            "type": self.name,
            "heading": value["heading"],
            "text": str(value["text"]),
        }


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


# An answer whose question type no longer exists is read with the defaults.
_ANY_QUESTION = QuestionBlock()


def question_block(type_name):
    """The question type a stored answer's ``type`` names (defaults for an unknown one)."""
    block = ResponseFormBlock.base_blocks.get(type_name)
    return block if getattr(block, "is_question", False) else _ANY_QUESTION


def questions(stream_value):
    """The question children of a response-form stream (skipping text blocks)."""
    return [child for child in stream_value if getattr(child.block, "is_question", False)]


def answer_text(answer):
    """A stored answer as text, as its question type reads it; "" for no answer."""
    if not answer:
        return ""
    return question_block(answer.get("type")).answer_text(answer)


def form_schema(stream_value):
    """The questions (and texts between them) as plain data for the API."""
    return [child.block.schema(child.id, child.value) for child in stream_value]


def form_version(stream_value):
    """A fingerprint of the questions: changes when a question, option or label changes."""
    outline = [child.block.outline(child.id, child.value) for child in questions(stream_value)]
    digest = hashlib.sha256(json.dumps(outline, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]
