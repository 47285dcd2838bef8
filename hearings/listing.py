"""Hearing listings: the index's filters, "my hearings" and "my answers"."""

import hashlib
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings import access
from hearings.models import Audience, Department, HearingPage, HearingResponse, SubjectArea
from hearings.phases import Phase, phase_filter, phases_filter

# How long a process keeps the size of a listing it counted (#16: counting every hearing
# or response a person may see grows with them). A page published, moved or deleted, a
# hearing, its audience, a response or a person's department saved in this process drops
# every kept count at once (``forget_counts``, connected in hearings.apps); other
# processes see it within this many seconds. The time is part of the key, in steps of
# this many seconds, since the phases move with the clock.
COUNT_SECONDS = 30
_GENERATION_KEY = "agora:listing-generation"


def _generation():
    return cache.get_or_set(_GENERATION_KEY, 0, None)


def count_step(now):
    """The step of the clock a count kept at ``now`` belongs to."""
    return int(now.timestamp() // COUNT_SECONDS)


def forget_counts(**kwargs):
    """Signal handler: a page, a hearing's audience, a response or a person's
    department changed, so the kept counts are stale."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # not kept (never read in this process)
        cache.set(_GENERATION_KEY, 1, None)


def kept_count(key, count, now=None):
    """``count()``, kept ``COUNT_SECONDS`` under ``key`` (which must name the listing,
    its filters and whose listing it is)."""
    now = now or timezone.now()
    step = count_step(now)
    # Hashed: the key holds a query string, of any length or content.
    digest = hashlib.sha256(key.encode()).hexdigest()
    key = f"agora:listing-count:{_generation()}:{step}:{digest}"
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, COUNT_SECONDS)
    return value


class OpenFirst:
    """``hearings`` open first (nearest deadline first), then upcoming ones (nearest
    deadline first), then the rest (latest deadline first), as a sequence Django's
    ``Paginator`` pages (#16).

    Sorting by phase is a ``CASE`` on the clock that no index serves, so the database
    would sort every hearing the person may see for each page of 20. Here each phase is
    its own segment, read in the order of the ``(closes_at, id)`` index with a
    ``LIMIT``; a page takes the rows it needs from one segment, or two where a phase
    ends. The sizes of the segments come from one counting query, kept
    ``COUNT_SECONDS`` under ``key`` (which must name the listing, the filters and whose
    listing it is); without a key they are counted every time.
    """

    def __init__(self, hearings, now=None, key=None, phases=None):
        self.now = now or timezone.now()
        self.key = key
        by_deadline = (F("closes_at").asc(nulls_last=True), "page_ptr_id")
        segments = [
            (Phase.OPEN, phase_filter(Phase.OPEN, self.now), by_deadline),
            (Phase.UPCOMING, phase_filter(Phase.UPCOMING, self.now), by_deadline),
            # The rest: exactly what is neither open nor upcoming.
            (
                None,
                Q(live=False)
                | Q(live=True, closes_at__lte=self.now)
                & (Q(opens_at__lte=self.now) | Q(opens_at__isnull=True)),
                (F("closes_at").desc(nulls_first=True), "-page_ptr_id"),
            ),
        ]
        self.segments = [
            (where, hearings.filter(where).order_by(*order))
            for phase, where, order in segments
            if phases is None or phase in phases
        ]
        self._hearings = hearings
        self._sizes = None

    def sizes(self):
        """How many hearings each segment holds (one query, kept ``COUNT_SECONDS``)."""
        if self._sizes is None:
            self._sizes = (
                self._count_segments()
                if self.key is None
                else kept_count(self.key, self._count_segments, self.now)
            )
        return self._sizes

    def _count_segments(self):
        counts = self._hearings.order_by().aggregate(
            **{
                f"s{number}": Count("pk", filter=where)
                for number, (where, _segment) in enumerate(self.segments)
            }
        )
        return [counts[f"s{number}"] for number in range(len(self.segments))]

    def count(self):
        return sum(self.sizes())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        rows, offset = [], 0
        for size, (_where, segment) in zip(self.sizes(), self.segments, strict=True):
            first = max(0, start - offset)
            last = size if stop is None else min(size, stop - offset)
            if last > first:
                rows.extend(segment[first:last])
            offset += size
            if stop is not None and offset >= stop:
                break
        return rows


class HearingFilter(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("All phases"))] + [(p.value, p.label) for p in Phase if p != Phase.DRAFT],
    )
    subject_area = forms.ModelChoiceField(
        label=_("Subject area"),
        required=False,
        queryset=SubjectArea.objects.all(),
        empty_label=_("All subject areas"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )

    def __init__(self, data=None, site=None):
        super().__init__(data or None)
        departments = Department.objects.all()
        if site is not None:
            departments = departments.filter(site=site)
        self.fields["department"].queryset = departments

    def apply(self, hearings, key=None):
        """Filter and order ``hearings``: open ones first, nearest deadline first (an
        ``OpenFirst``; ``key`` names whose listing it is, for the kept count)."""
        if self.is_valid():
            data = self.cleaned_data
            if data.get("phase"):
                hearings = hearings.filter(phase_filter(data["phase"]))
            if data.get("subject_area"):
                hearings = hearings.filter(subject_area=data["subject_area"])
            if data.get("department"):
                hearings = hearings.filter(access.invites([data["department"].pk]))
        if key is not None:
            key = f"{key}?{self.query_string()}"
        return OpenFirst(hearings.select_related("subject_area", "hearing_type"), key=key)

    def query_string(self):
        """The active filters, for pagination links."""
        if not self.is_valid():
            return ""
        params = {k: (v.pk if hasattr(v, "pk") else v) for k, v in self.cleaned_data.items() if v}
        return urlencode(params)


# "Mine høringer" on the home page shows at most this many, nearest deadline first, and
# links to the index for the rest: the page stays the same size whatever is open.
MY_HEARINGS_SHOWN = 10


def my_hearings(user, now=None, site=None):
    """Hearings that invite ``user`` and still take (or will take) answers, open first
    (an ``OpenFirst``); with ``site``, only that municipality's."""
    if not user.is_authenticated:
        return OpenFirst(HearingPage.objects.none(), now)
    now = now or timezone.now()
    invited = access.invites(access.audience_department_ids(user))
    hearings = HearingPage.objects.live().filter(Q(invited) | Q(audience=Audience.PUBLIC))
    hearings = hearings.filter(phases_filter([Phase.OPEN, Phase.UPCOMING], now))
    if site is not None:
        hearings = hearings.filter(path__startswith=site.root_page.path)
    return OpenFirst(
        hearings.select_related("subject_area"),
        now,
        key=f"mine:{user.pk}:{site.pk if site else ''}",
        phases=[Phase.OPEN, Phase.UPCOMING],
    )


def responses_of(user):
    """The user's responses, newest first ("my answers", the API's list)."""
    if not user.is_authenticated:
        return HearingResponse.objects.none()
    return (
        HearingResponse.objects.filter(respondent=user)
        .select_related("hearing")
        .order_by("-updated_at")
    )


def my_responses(user):
    """The user's answers for "my hearings": each with its links and whether it may change."""
    rows = []
    for response in responses_of(user):
        can_change = access.can_change_response(user, response)
        rows.append(
            {
                "response": response,
                "hearing": response.hearing,
                "receipt_url": None if response.is_draft else response.page_path("receipt"),
                "amend_url": response.page_path("amend") if can_change else None,
                "withdraw_url": response.page_path("withdraw") if can_change else None,
            }
        )
    return rows
