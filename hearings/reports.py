"""The summary of a hearing's responses: over time, per department, per choice.

Plain numbers for the report template, which draws them as server-rendered SVG bar
charts with a table beside each (no scripts, readable by screen readers and printable).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hearings.blocks.questions import questions
from hearings.models import HearingResponse


@dataclass
class Bar:
    label: str
    count: int
    share: float = 0.0  # of the largest bar, 0..100, for drawing
    y: int = 0

    # The SVG puts labels in the left 40 %, bars in the next 50 %, counts after them.
    @property
    def width(self):
        return f"{self.share * 0.5:.1f}%"

    @property
    def count_x(self):
        return f"{40 + self.share * 0.5 + 1:.1f}%"


@dataclass
class Chart:
    title: str
    bars: list = field(default_factory=list)
    total: int = 0
    heading: str = ""  # of the table's first column ("Answer" when empty)

    def __post_init__(self):
        top = max((bar.count for bar in self.bars), default=0)
        for number, bar in enumerate(self.bars):
            bar.share = 100 * bar.count / top if top else 0
            bar.y = 28 * number
        self.total = self.total or sum(bar.count for bar in self.bars)

    @property
    def height(self):
        return 28 * len(self.bars) + 8


def counted_responses(hearing):
    """Handed-in responses that still stand (withdrawn ones are not counted)."""
    return HearingResponse.objects.filter(hearing=hearing).standing()


def over_time(hearing):
    days = (
        counted_responses(hearing)
        .annotate(day=TruncDate("submitted_at"))
        .values_list("day", flat=True)
        .order_by("day")
    )
    counts = Counter(days)
    return Chart(
        _("Responses per day"),
        [
            Bar(date_format(day, "DATE_FORMAT") if day else "–", count)
            for day, count in sorted(counts.items(), key=lambda item: item[0] or date.min)
        ],
        heading=_("Day"),
    )


def per_department(hearing):
    """By the respondent's department; a response registered by staff by the sender's
    organisation."""
    names = counted_responses(hearing).values_list(
        "respondent__employee_profile__department__name", "sender_organisation"
    )
    counts = Counter(
        department or organisation or _("No department") for department, organisation in names
    )
    return Chart(
        _("Responses per department"),
        [Bar(name, count) for name, count in counts.most_common()],
        heading=_("Department"),
    )


def per_choice(hearing):
    """One chart per question its type charts (choices, yes/no, scale), in form order."""
    answers = list(counted_responses(hearing).values_list("answers", flat=True))
    charts = []
    for child in questions(hearing.response_form):
        choices = child.block.report_choices(child.value)
        if choices is None:
            continue
        counts = Counter()
        answered = 0
        for entry in answers:
            value = (entry.get(child.id) or {}).get("value")
            values = value if isinstance(value, list) else [value]
            values = [str(v) for v in values if v not in (None, "")]
            if values:
                answered += 1
            counts.update(values)
        charts.append(
            Chart(
                child.value["label"],
                [Bar(label, counts[str(choice_id)]) for choice_id, label in choices],
                total=answered,
            )
        )
    return charts


def summary(hearing):
    """The number of responses and every chart, in the order the report shows them."""
    return {
        "total": counted_responses(hearing).count(),
        "charts": [over_time(hearing), per_department(hearing), *per_choice(hearing)],
    }
