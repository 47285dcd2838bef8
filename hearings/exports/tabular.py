"""A hearing's responses as a table: CSV and XLSX.

One row per response, one column per question. Questions are matched by their
stable id, so a response given before the form was changed lands in the same column
as one given after; a question that only older responses answered keeps a column of
its own at the end. Headers use the question's current label (or, for a removed
question, the label the newest answer saw).

Every text cell that a spreadsheet could read as a formula is prefixed with an
apostrophe: one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
also after leading spaces, no-break or zero-width spaces and newlines, and also when
the sign is a look-alike (full-width ``＝``, ``＠``, ``＋``, ``－``, the minus sign).
"""

import csv
import tempfile
import unicodedata
from dataclasses import dataclass
from itertools import chain, islice

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearings.analysis import filter_by_theme
from hearings.answers import answer_text, ordered_question_ids
from hearings.blocks.questions import questions
from hearings.models import AnswerTheme, HearingResponse, municipality_of
from hearings.senders import SENDER_RELATIONS, registration_note, sender_of

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet may skip before a formula, beyond str.isspace() ones.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# Signs NFKC does not fold to ASCII: the minus sign and the small and full-width forms.
LOOK_ALIKES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u02d7": "-"})


def neutralise(value):
    """Make a cell value safe against spreadsheet formula injection."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    start = value[:256].lstrip()
    while start and (start[0] in INVISIBLE or start[0].isspace()):
        start = start[1:]
    start = unicodedata.normalize("NFKC", start[:8]).translate(LOOK_ALIKES).lstrip()
    if start.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Column:
    question_id: str
    label: str


def export_responses(hearing, theme=None, tag=None):
    """The responses an export holds: every handed-in one, in order of arrival; only
    those with ``theme`` and/or free ``tag`` when given (``hearings.analysis``)."""
    responses = (
        HearingResponse.objects.filter(hearing=hearing)
        .handed_in()
        .select_related(*SENDER_RELATIONS)
        .prefetch_related("themes", "answer_themes__theme", "tags")
        .order_by("sequence", "pk")
    )
    return filter_by_theme(responses, theme, tag)


# Responses read from the database at a time: an export's memory stays flat in the
# number of responses (on PostgreSQL a server-side cursor, still one query).
CHUNK = 500


def question_columns(hearing, responses):
    """The question columns in the one question order: the current form's, then questions
    only answered before. A removed question is headed by the newest answer's label.

    ``responses`` are responses or their ``answers`` dicts."""
    labels = {child.id: child.value["label"] for child in questions(hearing.response_form)}
    current = set(labels)
    for response in responses:
        answers = response if isinstance(response, dict) else response.answers
        for question_id, answer in answers.items():
            if question_id not in current:
                labels[question_id] = answer.get("label", question_id)
    return [
        Column(question_id, labels[question_id])
        for question_id in ordered_question_ids(hearing, labels)
    ]


def header(columns):
    fixed = [
        _("Reference"),
        _("Status"),
        _("Submitted at"),
        _("Last amended at"),
        _("Respondent"),
        _("Department"),
        _("On behalf of"),
        _("On behalf of (name)"),
        _("Sensitive"),
        _("Registered by staff"),
    ]
    analysis = [_("Themes"), _("Free tags"), _("The administration's comment")]
    return (
        [neutralise(str(label)) for label in fixed]
        + [neutralise(column.label) for column in columns]
        + [neutralise(str(label)) for label in analysis]
    )


def prefetched(response, relation):
    """The prefetched ``relation`` of ``response``, without building a related manager
    (and its filters) per row: a third of an XLSX export's time at 20,000 rows (#16)."""
    read = getattr(response, "_export_names", None)  # set by ``with_analysis``
    if read is not None:
        return read[relation]
    cache = getattr(response, "_prefetched_objects_cache", {})
    return cache[relation] if relation in cache else getattr(response, relation).all()


# A choice's label per (field, value, language), translated once per process, not per row.
_LABELS = {}


def display(response, field_name):
    value = getattr(response, field_name)
    key = (field_name, value, translation.get_language())
    if key not in _LABELS:
        if field_name == "sensitive":
            _LABELS[key] = _("Yes") if value else _("No")
        else:
            _LABELS[key] = getattr(response, f"get_{field_name}_display")()
    return _LABELS[key]


def row(response, columns, naive_datetimes=False):
    def when(moment):
        if moment is None:
            return None if naive_datetimes else ""
        local = timezone.localtime(moment)
        return local.replace(tzinfo=None) if naive_datetimes else local.isoformat()

    sender = sender_of(response)
    fixed = [
        response.reference,
        display(response, "status"),
        when(response.submitted_at),
        when(response.amended_at),
        sender.name,
        sender.department,
        display(response, "on_behalf_of_kind"),
        response.on_behalf_of_name,
        display(response, "sensitive"),
        registration_note(response),
    ]
    answers = [answer_text(response.answers.get(column.question_id)) for column in columns]
    analysis = [
        ", ".join(theme.name for theme in prefetched(response, "themes")),
        ", ".join(sorted(tag.name for tag in prefetched(response, "tags"))),
        response.administration_comment,
    ]
    return (
        [neutralise(str(value)) if isinstance(value, str) else value for value in fixed]
        + [neutralise(value) for value in answers]
        + [neutralise(value) for value in analysis]
    )


def rows(hearing, naive_datetimes=False, theme=None, tag=None):
    """The header, then one row per response (only those with ``theme`` and/or free
    ``tag`` when given), read in chunks: one pass over the answers for the columns, one
    over the responses for the rows."""
    responses = export_responses(hearing, theme, tag)
    answers = (
        responses.prefetch_related(None)
        .values_list("answers", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    columns = question_columns(hearing, answers)
    yield header(columns)
    for response in with_analysis(responses):
        yield row(response, columns, naive_datetimes)


def with_analysis(responses):
    """The responses read in chunks, each chunk's theme and free-tag names in one query
    each (Django's prefetch builds a queryset per response and relation: a quarter of an
    XLSX export's time at 20,000 rows, #16); ``prefetched`` reads them."""
    plain = responses.prefetch_related(None).iterator(chunk_size=CHUNK)
    while chunk := list(islice(plain, CHUNK)):
        names = {"themes": {}, "tags": {}}
        ids = [response.pk for response in chunk]
        for relation, order in (("themes", ("themes__sort_order", "themes__name")),):
            pairs = HearingResponse.objects.filter(pk__in=ids, themes__isnull=False)
            for pk, name in pairs.order_by("pk", *order).values_list("pk", "themes__name"):
                names[relation].setdefault(pk, []).append(_Named(name))
        # Then the themes only put on single answers, each once (as ``theme_names``).
        answer_themes = AnswerTheme.objects.filter(response_id__in=ids).order_by(
            "response_id", "theme__sort_order", "theme__name"
        )
        for pk, name in answer_themes.values_list("response_id", "theme__name"):
            listed = names["themes"].setdefault(pk, [])
            if all(named.name != name for named in listed):
                listed.append(_Named(name))
        tags = HearingResponse.objects.filter(pk__in=ids, tags__isnull=False)
        for pk, name in tags.values_list("pk", "tags__name"):
            names["tags"].setdefault(pk, []).append(_Named(name))
        for response in chunk:
            response._export_names = {
                relation: found.get(response.pk, []) for relation, found in names.items()
            }
            yield response


@dataclass
class _Named:
    name: str


class _Echo:
    def write(self, value):
        return value


def csv_chunks(hearing, theme=None, tag=None):
    """CSV text, one line at a time, starting with a BOM so Excel reads UTF-8."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for values in rows(hearing, theme=theme, tag=tag):
        yield writer.writerow(values)


# Column widths in characters: wide enough for a heading or a date, never wider than
# a screen's third (long answers wrap when the reader widens the row).
MIN_WIDTH, MAX_WIDTH = 10, 60


# The widths are taken from the header and the first rows: the workbook is written as
# the rows are read, never held whole.
WIDTH_SAMPLE = 200


def column_widths(table):
    """Each column's width: its longest line of text (dates read as 19 characters)."""
    widths = []
    for values in table:
        for index, value in enumerate(values):
            if isinstance(value, str):
                length = max((len(line) for line in value.splitlines()), default=0)
            elif value is None:
                length = 0
            else:
                length = 19 if hasattr(value, "isoformat") else len(str(value))
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = max(widths[index], min(length + 2, MAX_WIDTH))
    return widths


def write_xlsx(hearing, target, theme=None, tag=None):
    """Write the XLSX workbook to the binary file ``target`` (openpyxl write-only mode):
    columns as wide as their text, the header row frozen, bold and filterable."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table = (
        [ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in v]
        for v in rows(hearing, naive_datetimes=True, theme=theme, tag=tag)
    )
    sample = list(islice(table, WIDTH_SAMPLE + 1))
    workbook = Workbook(write_only=True)
    # The workbook's author (File → Properties) is the hearing's municipality.
    workbook.properties.creator = municipality_of(hearing.get_site()).display_name
    workbook.properties.title = hearing.title
    sheet = workbook.create_sheet(title=_("Responses")[:31])
    # Widths and the frozen row are written before the rows, the filter after them.
    for index, width in enumerate(column_widths(sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    count = 0
    for number, values in enumerate(chain(sample, table)):
        count += 1
        if number == 0:
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = bold
                cells.append(cell)
            values = cells
        sheet.append(values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(sample[0]))}{count}"
    workbook.save(target)


def xlsx_file(hearing, theme=None, tag=None):
    """The workbook in a temporary file (on disk past 8 MB), rewound for streaming."""
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(hearing, target, theme, tag)
    target.seek(0)
    return target
