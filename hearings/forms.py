"""The answer form: a Django form built from a hearing's question blocks.

Each question becomes one field named ``q-<block id>`` (the "on behalf of" question
adds ``q-<id>-name``, a file question ``q-<id>-keep`` for files already attached).
``ResponseForm.answers()`` turns the cleaned data into the stored answer format
documented in ``hearings.models.responses``. Uploaded files are checked and stored
by ``hearings.responding.stash_uploads`` before the form is built, so a file that
passed its checks stays attached while the person fixes other errors.
"""

import hashlib
import json
import uuid

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hearings.blocks.questions import OnBehalfOf, option_list, questions

MAX_DRAFT_TEXT = 50_000


def field_name(question_id):
    return f"q-{question_id}"


def form_version(stream_value):
    """A fingerprint of the questions: changes when a question, option or label changes."""
    outline = []
    for child in questions(stream_value):
        entry = [child.id, child.block_type, child.value["label"], child.value["required"]]
        if "options" in child.value:
            entry.append(option_list(child.value))
        outline.append(entry)
    digest = hashlib.sha256(json.dumps(outline, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def form_schema(stream_value):
    """The questions as plain data (for the API): ids, types, labels, options and limits."""
    schema = []
    for child in stream_value:
        value = child.value
        if not getattr(child.block, "is_question", False):
            schema.append(
                {
                    "id": child.id,
                    "type": child.block_type,
                    "heading": value["heading"],
                    "text": str(value["text"]),
                }
            )
            continue
        entry = {"id": child.id, "type": child.block_type}
        for key, field_value in value.items():
            if key == "options":
                field_value = [{"id": i, "label": label} for i, label in option_list(value)]
            elif key == "consent_text":
                field_value = (
                    {
                        "id": field_value.pk,
                        "version": field_value.version,
                        "text": field_value.plain_text,
                    }
                    if field_value
                    else None
                )
            elif isinstance(field_value, (list, tuple)):
                field_value = list(field_value)
            entry[key] = field_value
        schema.append(entry)
    return schema


def file_questions(stream_value):
    return {
        child.id: child for child in questions(stream_value) if child.block_type == "file_upload"
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Shown as the file input; the files themselves are handled by ``stash_uploads``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return []


YES, NO = "yes", "no"


class QuestionView:
    """What the template needs to render one question with DKFDS markup."""

    def __init__(self, form, child):
        self.form = form
        self.child = child
        self.id = child.id
        self.type = child.block_type
        self.value = child.value
        self.name = field_name(child.id)
        self.dom_id = f"id_{self.name}"
        self.is_question = getattr(child.block, "is_question", False)

    def bound(self, suffix=""):
        return self.form[self.name + suffix]

    @property
    def field(self):
        return self.bound()

    @property
    def errors(self):
        errors = list(self.form.errors.get(self.name, []))
        for suffix in ("-name", "-keep"):
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
        if self.type == "consent":
            return []
        return [
            (str(value), label, str(value) in selected, f"{self.dom_id}-{index}")
            for index, (value, label) in enumerate(self.field.field.choices)
            if value != ""
        ]

    def error_targets(self):
        """(field suffix, id of the element to focus) for each field of this question."""
        grouped = self.type in ("single_choice", "multiple_choice", "scale", "yes_no")
        grouped = grouped or self.type == "on_behalf_of"
        return [
            ("", f"{self.dom_id}-0" if grouped else self.dom_id),
            ("-name", f"{self.dom_id}-name"),
            ("-keep", self.dom_id),
        ]

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
        from hearings.attachments import EXTENSIONS

        extensions = [EXTENSIONS[t] for t in self.value.get("allowed_types") or []]
        if ".jpg" in extensions:
            extensions.append(".jpeg")
        return ",".join(extensions)

    @property
    def consent_text(self):
        return self.value.get("consent_text")


class ResponseForm(forms.Form):
    """The answer form for ``hearing``, optionally filled from stored ``answers``.

    ``draft=True`` makes every question optional: a draft may be incomplete.
    ``attachments`` are the files this person may keep (earlier uploads and those of
    the response); ``new_attachment_ids`` were uploaded with this request and are kept.
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
    ):
        self.hearing = hearing
        self.user = user
        self.draft = draft
        self.stream = hearing.response_form
        self.upload_errors = upload_errors or {}
        self._attachments = list(attachments)
        if data is not None:
            data = data.copy()
            for attachment in self._attachments:
                if attachment.pk in new_attachment_ids:
                    data.appendlist(
                        field_name(attachment.question_id) + "-keep", str(attachment.pk)
                    )
        super().__init__(data=data, initial={"token": uuid.uuid4()})
        self.views = []
        for child in self.stream:
            self.views.append(QuestionView(self, child))
            if getattr(child.block, "is_question", False):
                self._add_fields(child)
        if answers:
            self.initial.update(initial_from_answers(self.stream, answers))
        for attachment_field in self.fields:
            if attachment_field.endswith("-keep") and attachment_field not in self.initial:
                question_id = attachment_field[2:-5]
                self.initial[attachment_field] = [
                    str(a.pk) for a in self.attachments_for(question_id)
                ]

    def attachments_for(self, question_id):
        return [a for a in self._attachments if a.question_id == question_id]

    def questions(self):
        return self.views

    def _add_fields(self, child):
        value = child.value
        name = field_name(child.id)
        required = bool(value["required"]) and not self.draft
        common = {"label": value["label"], "required": required, "help_text": value["help_text"]}
        kind = child.block_type
        if kind == "short_text":
            self.fields[name] = forms.CharField(max_length=value["max_length"], **common)
        elif kind == "long_text":
            self.fields[name] = forms.CharField(
                max_length=value["max_length"], widget=forms.Textarea, strip=False, **common
            )
        elif kind == "single_choice":
            self.fields[name] = forms.ChoiceField(
                choices=option_list(value), widget=forms.RadioSelect, **common
            )
        elif kind == "multiple_choice":
            self.fields[name] = forms.MultipleChoiceField(
                choices=option_list(value), widget=forms.CheckboxSelectMultiple, **common
            )
        elif kind == "scale":
            low, high = value["min_value"], value["max_value"]
            choices = []
            for number in range(low, high + 1):
                label = str(number)
                if number == low and value["min_label"]:
                    label = f"{number} – {value['min_label']}"
                elif number == high and value["max_label"]:
                    label = f"{number} – {value['max_label']}"
                choices.append((number, label))
            self.fields[name] = forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        elif kind == "yes_no":
            self.fields[name] = forms.ChoiceField(
                choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
            )
        elif kind == "consent":
            self.fields[name] = forms.BooleanField(**common)
        elif kind == "on_behalf_of":
            allowed = value["allowed"] or [OnBehalfOf.MYSELF]
            choices = [(k, label) for k, label in OnBehalfOf.CHOICES if k in allowed]
            self.fields[name] = forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, **common
            )
            if len(choices) == 1:
                self.initial.setdefault(name, choices[0][0])
            self.fields[name + "-name"] = forms.CharField(
                label=_("Name of the department or organisation"), max_length=300, required=False
            )
        elif kind == "file_upload":
            self.fields[name] = MultipleFileField(**{**common, "required": False})
            self.fields[name + "-keep"] = forms.MultipleChoiceField(
                choices=[(str(a.pk), a.name) for a in self.attachments_for(child.id)],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for child in questions(self.stream):
            name = field_name(child.id)
            value = child.value
            for message in self.upload_errors.get(child.id, []):
                self.add_error(name, message)
            if child.block_type == "multiple_choice" and name in cleaned:
                count = len(cleaned[name])
                low, high = value.get("min_choices"), value.get("max_choices")
                if count and low and count < low and not self.draft:
                    self.add_error(name, _("Choose at least %(count)d options.") % {"count": low})
                if high and count > high:
                    self.add_error(name, _("Choose at most %(count)d options.") % {"count": high})
            elif child.block_type == "on_behalf_of":
                kind = cleaned.get(name)
                if kind == OnBehalfOf.DEPARTMENT and not cleaned.get(name + "-name"):
                    department = _user_department_name(self.user)
                    if department:
                        cleaned[name + "-name"] = department
                if kind in (OnBehalfOf.DEPARTMENT, OnBehalfOf.ORGANISATION) and not cleaned.get(
                    name + "-name"
                ):
                    self.add_error(
                        name + "-name",
                        _("Write the name of the department or organisation you answer for."),
                    )
            elif child.block_type == "file_upload":
                kept = cleaned.get(name + "-keep") or []
                if value["required"] and not kept and not self.draft and not self.has_error(name):
                    self.add_error(name, _("Attach at least one file."))
                if len(kept) > value["max_files"]:
                    self.add_error(
                        name,
                        _("Attach at most %(count)d files.") % {"count": value["max_files"]},
                    )
        return cleaned

    def error_list(self):
        """[(target element id, message)] for the error summary at the top of the form."""
        summary = []
        for view in self.views:
            for suffix, target in view.error_targets():
                label = _("Name of the department or organisation") if suffix else view.label
                for message in self.errors.get(view.name + suffix, []):
                    summary.append((target, f"{label}: {message}"))
        for message in self.non_field_errors():
            summary.append(("", message))
        return summary

    # Answers ---------------------------------------------------------------

    def answers(self):
        """The stored answers (see the module docstring of ``models.responses``).

        Display texts are written in the site's default language, so the record reads
        the same whichever language the person used.
        """
        with translation.override(settings.LANGUAGE_CODE):
            return self._answers()

    def _answers(self):
        data = self.cleaned_data
        result = {}
        for child in questions(self.stream):
            name = field_name(child.id)
            value = child.value
            entry = {"type": child.block_type, "label": value["label"]}
            kind = child.block_type
            raw = data.get(name)
            if kind in ("short_text", "long_text"):
                entry.update(value=raw or "", display=raw or "")
            elif kind == "single_choice":
                labels = dict(option_list(value))
                entry.update(value=raw or "", display=labels.get(raw, ""))
            elif kind == "multiple_choice":
                labels = dict(option_list(value))
                chosen = [{"id": option, "label": labels[option]} for option in raw or []]
                entry.update(
                    value=[c["id"] for c in chosen],
                    choices=chosen,
                    display="; ".join(c["label"] for c in chosen),
                )
            elif kind == "scale":
                display = ""
                if raw is not None and raw != "":
                    display = _("%(value)s on a scale from %(low)s to %(high)s") % {
                        "value": raw,
                        "low": value["min_value"],
                        "high": value["max_value"],
                    }
                entry.update(value=raw if raw != "" else None, display=display)
            elif kind == "yes_no":
                entry.update(value=raw or "", display={YES: _("Yes"), NO: _("No")}.get(raw, ""))
            elif kind == "consent":
                text = value.get("consent_text")
                entry.update(
                    value=bool(raw),
                    display=_("Given") if raw else _("Not given"),
                    consent_text_id=text.pk if text else None,
                    consent_version=text.version if text else None,
                    consent_text=text.plain_text if text else "",
                )
            elif kind == "on_behalf_of":
                label = dict(OnBehalfOf.CHOICES).get(raw, "")
                person = data.get(name + "-name", "") if raw != OnBehalfOf.MYSELF else ""
                entry.update(
                    value={"kind": raw or "", "name": person},
                    display=f"{label}: {person}" if person else str(label),
                )
            elif kind == "file_upload":
                kept = {int(pk) for pk in data.get(name + "-keep") or []}
                files = [a for a in self.attachments_for(child.id) if a.pk in kept]
                entry.update(
                    value=[a.pk for a in files],
                    files=[
                        {"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256}
                        for a in files
                    ],
                    display=", ".join(a.name for a in files),
                )
            result[child.id] = entry
        return result

    def on_behalf_of(self):
        """(kind, name) from the "on behalf of" question, if the form has one."""
        for child in questions(self.stream):
            if child.block_type == "on_behalf_of":
                name = field_name(child.id)
                kind = self.cleaned_data.get(name) or OnBehalfOf.MYSELF
                return kind, self.cleaned_data.get(name + "-name", "") if kind != "myself" else ""
        return OnBehalfOf.MYSELF, ""

    def draft_answers(self):
        """What the person typed, unvalidated, in the stored answer shape (for a draft)."""
        data = self.data
        result = {}
        for child in questions(self.stream):
            name = field_name(child.id)
            entry = {"type": child.block_type, "label": child.value["label"]}
            kind = child.block_type
            if kind in ("multiple_choice",):
                entry["value"] = data.getlist(name)
            elif kind == "file_upload":
                entry["value"] = self.kept_attachment_ids(child.id)
            elif kind == "on_behalf_of":
                entry["value"] = {
                    "kind": data.get(name, ""),
                    "name": data.get(name + "-name", "")[:300],
                }
            elif kind == "consent":
                entry["value"] = bool(data.get(name))
            else:
                entry["value"] = data.get(name, "")[:MAX_DRAFT_TEXT]
            result[child.id] = entry
        return result

    def kept_attachment_ids(self, question_id=None):
        """Ids of the attachments the person keeps (checked), for one question or all."""
        ids = []
        available = {a.pk for a in self._attachments}
        for child in questions(self.stream):
            if child.block_type != "file_upload" or question_id not in (None, child.id):
                continue
            for raw in self.data.getlist(field_name(child.id) + "-keep"):
                if raw.isdigit() and int(raw) in available:
                    ids.append(int(raw))
        return ids


def initial_from_answers(stream_value, answers):
    """Field values from stored answers (a draft or a submitted response)."""
    initial = {}
    for child in questions(stream_value):
        answer = answers.get(child.id)
        if not answer or answer.get("type") != child.block_type:
            continue
        name = field_name(child.id)
        value = answer.get("value")
        if child.block_type == "on_behalf_of":
            value = value or {}
            initial[name] = value.get("kind", "")
            initial[name + "-name"] = value.get("name", "")
        elif child.block_type == "file_upload":
            initial[name + "-keep"] = [str(pk) for pk in value or []]
        elif value is not None:
            initial[name] = value
    return initial


def _user_department_name(user):
    from hearings import access

    department = access.user_department(user) if user is not None else None
    return department.name if department else ""


ACTION_SUBMIT = "submit"
ACTION_DRAFT = "draft"
