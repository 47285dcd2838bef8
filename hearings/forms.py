"""The answer form: a Django form built from a hearing's question blocks.

Each question type (``hearings.blocks.questions``) adds its own fields, named
``q-<block id>`` and, where a type needs more, ``q-<id>-<suffix>`` (the "on behalf of"
question's ``-name``, a file question's ``-keep`` for files already attached). This
form asks the blocks; it names no question type. ``ResponseForm.answers()`` gives the
stored answer format documented in ``hearings.models.responses``. Uploaded files are
checked and stored by ``hearings.responding.stash_uploads`` before the form is built,
so a file that passed its checks stays attached while the person fixes other errors.
"""

import hashlib
import json
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hearings import access
from hearings.blocks.questions import OnBehalfOf, field_name, questions
from hearings.text import is_valid_text

# The form's submit button posts ``action=draft`` to save a draft instead of submitting.
ACTION_DRAFT = "draft"

INVALID_TEXT = _(
    "The text contains characters that are not allowed (control characters or "
    "invalid Unicode). Remove them and try again."
)


class QuestionView:
    """What the template needs to render one question (or text block) with DKFDS markup."""

    def __init__(self, form, child):
        self.form = form
        self.child = child
        self.id = child.id
        self.type = child.block_type
        self.block = child.block
        self.value = child.value
        self.name = field_name(child.id)
        self.dom_id = f"id_{self.name}"
        self.is_question = getattr(child.block, "is_question", False)
        self.template = child.block.form_template

    def bound(self, suffix=""):
        return self.form[self.name + suffix]

    @property
    def field(self):
        return self.bound()

    def _suffixes(self):
        """The suffixes of this question's fields: "" for the main one, "-name", …"""
        return [name[len(self.name) :] for name in self.form.question_fields.get(self.id, [])]

    @property
    def errors(self):
        errors = []
        for suffix in self._suffixes():
            errors += self.form.errors.get(self.name + suffix, [])
        return errors

    @property
    def label(self):
        return self.value.get("label", "")

    @property
    def help_text(self):
        return self.value.get("help_text", "")

    @property
    def required(self):
        return bool(self.value.get("required"))

    @property
    def hint_id(self):
        return f"{self.dom_id}-hint" if self.help_text else ""

    @property
    def error_id(self):
        return f"{self.dom_id}-error" if self.errors else ""

    @property
    def describedby(self):
        return " ".join(i for i in (self.hint_id, self.error_id) if i)

    @property
    def current(self):
        """The field's current value as strings, for checked/selected states."""
        value = self.field.value()
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        if value is None:
            return ""
        return str(value)

    def choices(self):
        """[(value, label, checked, dom id)] for radio and checkbox groups."""
        current = self.current
        selected = current if isinstance(current, list) else [current]
        return [
            (str(value), label, str(value) in selected, f"{self.dom_id}-{index}")
            for index, (value, label) in enumerate(getattr(self.field.field, "choices", []))
            if value != ""
        ]

    def error_targets(self):
        """(field suffix, id of the element to focus) for each field of this question."""
        grouped = getattr(self.block, "grouped_input", False)
        main = f"{self.dom_id}-0" if grouped else self.dom_id
        targets = []
        for suffix in self._suffixes():
            if suffix == "":
                targets.append(("", main))
            elif suffix == "-keep":  # files: the file input itself
                targets.append((suffix, self.dom_id))
            else:
                targets.append((suffix, f"{self.dom_id}{suffix}"))
        return targets

    @property
    def name_field(self):
        return self.bound("-name")

    @property
    def attachments(self):
        """[(attachment, kept)] for a file question."""
        keep_field = self.bound("-keep")
        kept = {str(v) for v in (keep_field.value() or [])}
        return [
            (attachment, str(attachment.pk) in kept)
            for attachment in self.form.attachments_for(self.id)
        ]

    @property
    def accept(self):
        """The file input's ``accept`` list, a hint for the browser's file picker."""
        return self.block.accept(self.value)

    @property
    def consent_text(self):
        return self.value.get("consent_text")


def labelled(label, message):
    """ "Label: message", without a colon after a label that ends in its own punctuation.

    "Hvad mener du?: Feltet er påkrævet" reads wrong; "Hvad mener du? Feltet er
    påkrævet" reads right, and "Navn:" gets one colon, not two.
    """
    label = str(label).rstrip()
    if label.endswith(":"):
        label = label[:-1].rstrip()
    elif label.endswith(("?", "!", ".")):
        return f"{label} {message}"
    return f"{label}: {message}"


PARTY_FIELD = "answer_as_party"
# How long a process keeps a fresh form's rendered questions (the key changes with them).
QUESTIONS_CACHE_SECONDS = 3600


class ResponseForm(forms.Form):
    """The answer form for ``hearing``, optionally filled from stored ``answers``.

    ``draft=True`` makes every question optional: a draft may be incomplete.
    ``attachments`` are the files this person may keep (earlier uploads and those of
    the response), or a function that reads them; ``new_attachment_ids`` were uploaded
    with this request and are kept.
    """

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        hearing,
        *,
        user=None,
        data=None,
        answers=None,
        attachments=(),
        new_attachment_ids=(),
        upload_errors=None,
        draft=False,
        amending=False,
    ):
        self.hearing = hearing
        self.user = user
        self.draft = draft
        self.stream = hearing.response_form
        self.upload_errors = upload_errors or {}
        self._attachment_source = attachments  # read when first needed (#16)
        if data is not None:
            data = data.copy()
            for attachment in self._attachments if new_attachment_ids else ():
                if attachment.pk in new_attachment_ids:
                    data.appendlist(
                        field_name(attachment.question_id) + "-keep", str(attachment.pk)
                    )
        super().__init__(data=data, initial={"token": uuid.uuid4()})
        self.views = []
        self.question_fields = {}  # question id -> names of the fields its type added
        for child in self.stream:
            self.views.append(QuestionView(self, child))
            if getattr(child.block, "is_question", False):
                fields = child.block.form_fields(child.id, child.value, self)
                self.fields.update(fields)
                self.question_fields[child.id] = list(fields)
                for name, value in child.block.initial_values(child.id, child.value, self).items():
                    self.initial.setdefault(name, value)
        self.initial_answers = bool(answers)
        if answers:
            self.initial.update(initial_from_answers(self.stream, answers))
        self.parties = []
        if user is not None and not amending:
            self.parties = access.answerable_parties(user, hearing)
        if self.parties:
            self.fields[PARTY_FIELD] = forms.ChoiceField(
                label=_("Answer as"),
                choices=[("", _("Myself"))]
                + [
                    (str(party.pk), _("On behalf of %(party)s") % {"party": party.name})
                    for party in self.parties
                ],
                required=False,
                widget=forms.RadioSelect,
                help_text=_("As a contact person you can answer on behalf of the party."),
            )
            if self._party_posted():
                for child in self._questions_answered_by_party():
                    for name in self.question_fields[child.id]:
                        self.fields[name].required = False

    def _party_posted(self):
        """Was one of the person's parties chosen under "Answer as" in the posted data?"""
        chosen = self.data.get(PARTY_FIELD) if self.is_bound else None
        return bool(chosen) and any(str(party.pk) == chosen for party in self.parties)

    def _questions_answered_by_party(self):
        return [child for child in questions(self.stream) if child.block.answered_by_party]

    @property
    def department_names(self):
        """The names of the departments the person may answer on behalf of."""
        if self.user is None:
            return []
        return [department.name for department in access.own_departments(self.user)]

    @cached_property
    def _attachments(self):
        """The files this person may keep, read once, when the form first needs them:
        an answer posted without files and without kept files never reads them, nor
        does a form without a question that takes files."""
        if not any(child.block.accepts_files for child in questions(self.stream)):
            return []
        source = self._attachment_source
        return list(source() if callable(source) else source)

    def attachments_for(self, question_id):
        return [a for a in self._attachments if a.question_id == question_id]

    def questions(self):
        return self.views

    def questions_html(self):
        """The questions as HTML. A fresh form's (nothing posted, no draft, no files, no
        party to choose) is the same for everyone with the same form, language and
        departments, so it is rendered once per process and kept (#16); only the
        tokens around it are new per request."""
        key = self._questions_cache_key()
        html = cache.get(key) if key else None
        if html is None:
            html = render_to_string("hearings/responding/questions.html", {"form": self})
            if key:
                cache.set(key, html, QUESTIONS_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - rendered by our templates, escaped there

    def _questions_cache_key(self):
        if self.is_bound or self.initial_answers or self._attachments or self.parties:
            return None
        raw = json.dumps(self.stream.raw_data, sort_keys=True, default=str)
        parts = [raw, translation.get_language() or ""]
        if any(child.block_type == "on_behalf_of" for child in self.stream):
            parts += self.department_names
        digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
        return f"agora:questions:{self.hearing.pk}:{digest}"

    def invalid_text_fields(self):
        """Names of the posted fields whose text has characters Agora refuses
        (``hearings.text``): checked for drafts too, which are otherwise unvalidated."""
        if not self.is_bound:
            return []
        names = ["token", *(name for names in self.question_fields.values() for name in names)]
        return [
            name
            for name in names
            if not all(is_valid_text(str(value)) for value in self.data.getlist(name))
        ]

    def clean(self):
        cleaned = super().clean()
        for name in self.invalid_text_fields():
            if name not in self.errors:
                self.add_error(name, INVALID_TEXT)
        if party := self.party():
            # Answered by the choice of the party: what the person left in such a
            # question (hidden while a party is chosen) is neither checked nor kept.
            for child in self._questions_answered_by_party():
                for name in self.question_fields[child.id]:
                    self.errors.pop(name, None)
                child.block.answer_as_party(child.id, party, cleaned)
        for child in questions(self.stream):
            for message in self.upload_errors.get(child.id, []):
                self.add_error(field_name(child.id), message)
            child.block.clean_fields(child.id, child.value, self, cleaned)
        return cleaned

    def error_list(self):
        """[(target element id, message)] for the error summary at the top of the form."""
        summary = []
        for view in self.views:
            for suffix, target in view.error_targets():
                label = self.fields[view.name + suffix].label if suffix else view.label
                if suffix == "-keep":
                    label = view.label
                for message in self.errors.get(view.name + suffix, []):
                    summary.append((target, labelled(label, message)))
        for message in self.non_field_errors():
            summary.append(("", message))
        return summary

    def errors_by_question(self):
        """{question id: [messages]} for every field with errors; "" for the whole form."""
        question_of = {
            name: question_id
            for question_id, names in self.question_fields.items()
            for name in names
        }
        errors = {}
        for name, messages in self.errors.items():
            errors.setdefault(question_of.get(name, ""), []).extend(str(m) for m in messages)
        return errors

    # Answers ---------------------------------------------------------------

    def answers(self):
        """The stored answers (see the module docstring of ``models.responses``).

        Display texts are written in the site's default language, so the record reads
        the same whichever language the person used.
        """
        with translation.override(settings.LANGUAGE_CODE):
            return {
                child.id: {
                    "type": child.block_type,
                    "label": child.value["label"],
                    **child.block.answer(child.id, child.value, self, self.cleaned_data),
                }
                for child in questions(self.stream)
            }

    def party(self):
        """The hearing party chosen under "Answer as", or None for oneself."""
        chosen = self.cleaned_data.get(PARTY_FIELD) if self.parties else ""
        return next((p for p in self.parties if str(p.pk) == chosen), None)

    def on_behalf_of(self):
        """(kind, name) from the "on behalf of" question, if the form has one."""
        for child in questions(self.stream):
            behalf = child.block.on_behalf_of(child.id, self.cleaned_data)
            if behalf is not None:
                return behalf
        return OnBehalfOf.MYSELF, ""

    def renew_token(self):
        """A new submission token for the form shown again: the one it was sent with
        belongs to another submission (``responding.TokenUsed``)."""
        self.data["token"] = str(uuid.uuid4())

    def draft_answers(self):
        """What the person typed, unvalidated, in the stored answer shape (for a draft)."""
        return {
            child.id: {
                "type": child.block_type,
                "label": child.value["label"],
                "value": child.block.draft_value(child.id, child.value, self),
            }
            for child in questions(self.stream)
        }

    def kept_attachment_ids(self, question_id=None):
        """Ids of the attachments the person keeps (checked), for one question or all."""
        posted = [
            int(raw)
            for child in questions(self.stream)
            if child.block.accepts_files and question_id in (None, child.id)
            for raw in self.data.getlist(child.block.keep_name(child.id))
            if raw.isdigit()
        ]
        if not posted:
            return []  # nothing kept: the person's files need not be read
        available = {a.pk for a in self._attachments}
        return [pk for pk in posted if pk in available]


def initial_from_answers(stream_value, answers):
    """Field values from stored answers (a draft or a submitted response)."""
    initial = {}
    for child in questions(stream_value):
        answer = answers.get(child.id)
        if not answer or answer.get("type") != child.block_type:
            continue
        initial.update(child.block.initial(child.id, answer.get("value")))
    return initial
