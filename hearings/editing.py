"""Rules that apply while an editor writes a hearing in the Wagtail editor.

``HearingPageForm`` is the hearing's ``base_form_class``: a new hearing starts with its
type's default questions, an opening time in the past is refused for a hearing never
published, and no change to the questions may orphan answers already given.

A form posted back unchanged must read as unchanged: Wagtail's editor saves a new
revision for a changed form, and with ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT``
an approval from the editor's menu would then restart the review instead of
publishing. Numbers come back as numbers (``blocks.questions.NumberBlock``); rich text
written outside the editor (demo, imports) comes back with the editor's block keys,
which say nothing about the text and are ignored when comparing.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.blocks.base import BlockField
from wagtail.blocks.stream_block import StreamBlockValidationError

from hearings import library
from hearings.blocks.questions import ResponseFormBlock, question_block, questions
from hearings.models.people import people_q
from hearings.models.responses import Channel, HearingResponse
from hearings.models.taxonomy import (
    foreign_departments_error,
    foreign_parties_error,
    site_id_for_path,
)

BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


def without_block_keys(value):
    """``value`` (stored rich text, or a block's stored data) without the rich text
    editor's ``data-block-key`` attributes."""
    if isinstance(value, str):
        return BLOCK_KEY.sub("", value)
    if isinstance(value, dict):
        return {key: without_block_keys(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_block_keys(item) for item in value]
    return value


class HearingCopyForm(CopyForm):
    """Wagtail's copy form without "publish the copy": a copied hearing has no dates
    yet, so it is always a draft (see ``HearingPage.copy``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)


def person_label(user):
    """A person in the editor's lists: their name, and the username that tells two
    people of the same name apart."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class HearingPageForm(WagtailAdminPageForm):
    """Rules that only apply while an editor schedules a hearing or edits its questions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance if self.instance.path else self.parent_page
        # Only the hearing's own municipality's departments are offered...
        field = self.fields.get("invited_departments")
        site_id = self._site_id()
        if field is not None and site_id is not None:
            field.queryset = field.queryset.filter(site_id=site_id)
        # ...and the shared hearing types and parties with its own municipality's.
        for name in ("hearing_type", "invited_parties"):
            field = self.fields.get(name)
            if field is not None and page is not None and page.path:
                field.queryset = library.for_site(field.queryset, page.get_site())
        # ...its own people as owner and contact person (and whoever is chosen already).
        people = people_q(site_id) if site_id is not None else None
        for name in ("hearing_owner", "contact_person"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.label_from_instance = person_label
            if people is not None:
                chosen = getattr(self.instance, f"{name}_id", None)
                field.queryset = (
                    field.queryset.filter(people | Q(pk=chosen))
                    .distinct()
                    .order_by("first_name", "last_name", "username")
                )

    def _site_id(self):
        page = self.instance if self.instance.path else self.parent_page
        return site_id_for_path(page.path) if page is not None and page.path else None

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if self._really_changed(name)]

    def _really_changed(self, name):
        bound = self[name]
        field = bound.field
        data = field.widget.value_from_datadict(self.data, self.files, bound.html_name)
        if isinstance(field, BlockField):
            initial, data = (
                field.block.get_prep_value(bound.initial),
                field.block.get_prep_value(data),
            )
        elif getattr(field.widget, "accepts_features", False):  # a rich text editor
            initial = bound.initial or ""
        else:
            return True
        return without_block_keys(initial) != without_block_keys(data)

    def clean(self):
        cleaned = super().clean()
        self._clean_response_form(cleaned)
        self._clean_departments(cleaned)
        self._clean_parties(cleaned)
        opens_at = cleaned.get("opens_at")
        never_published = self.instance.first_published_at is None
        if opens_at and never_published and opens_at < timezone.now():
            self.add_error(
                "opens_at",
                _("The opening time is in the past. Choose a time from now on."),
            )
        return cleaned

    def _clean_departments(self, cleaned):
        """The invited departments must belong to the hearing's municipality (site)."""
        departments = cleaned.get("invited_departments")
        if not departments:
            return
        message = foreign_departments_error(list(departments), self._site_id())
        if message:
            self.add_error("invited_departments", message)

    def _clean_parties(self, cleaned):
        """The invited parties must be shared or the hearing's municipality's own."""
        parties = cleaned.get("invited_parties")
        message = foreign_parties_error(list(parties or []), self._site_id())
        if message:
            self.add_error("invited_parties", message)

    def _clean_response_form(self, cleaned):
        page = self.instance
        stream = cleaned.get("response_form")
        if stream is None:
            return
        if page.pk is None and not len(stream):
            # A new hearing starts with its type's default questions.
            hearing_type = cleaned.get("hearing_type")
            template = hearing_type.default_form_template if hearing_type else None
            if template is not None:
                cleaned["response_form"] = ResponseFormBlock().to_python(
                    template.questions_for_new_hearing()
                )
            return
        problems = form_change_problems(page, stream)
        if problems:
            self.add_error(
                "response_form",
                StreamBlockValidationError(
                    non_block_errors=[ValidationError(message) for message in problems]
                ),
            )


def form_change_problems(hearing, new_stream):
    """Messages for changes to ``hearing``'s questions that would orphan answers.

    A question that has answers cannot be removed or change type, and an option that
    has been chosen cannot be removed. Rewording is always allowed. A response received
    by e-mail or letter answers no question (its text and files are its own), so it
    holds nothing back.
    """
    if hearing.pk is None:
        return []
    answered = (
        HearingResponse.objects.filter(hearing_id=hearing.pk, channel=Channel.AGORA)
        .handed_in()
        .exclude(answers={})
        .values_list("answers", flat=True)
    )
    used = {}  # question id -> (type, label, set of option ids)
    for answers in answered:
        for question_id, answer in answers.items():
            if not _has_value(answer):
                continue
            kind, label, options = used.get(question_id, (answer.get("type"), "", set()))
            options |= question_block(kind).chosen_options(answer.get("value"))
            used[question_id] = (kind, answer.get("label", label), options)
    if not used:
        return []
    current = {child.id: child for child in questions(new_stream)}
    problems = []
    for question_id, (kind, label, options) in used.items():
        child = current.get(question_id)
        if child is None:
            problems.append(
                _('The question "%(label)s" has answers and cannot be removed.') % {"label": label}
            )
        elif child.block_type != kind:
            problems.append(
                _('The question "%(label)s" has answers; its type cannot be changed.')
                % {"label": label}
            )
        elif options - child.block.option_ids(child.value):
            problems.append(
                _(
                    'An option of the question "%(label)s" has been chosen in answers '
                    "and cannot be removed. You may reword it."
                )
                % {"label": child.value["label"]}
            )
    return problems


def _has_value(answer):
    value = answer.get("value")
    return value not in (None, "", [], {}, False)
