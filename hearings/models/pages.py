"""The hearing pages: the index that lists hearings, and the hearing itself.

Models know no services: what a page shows is put together by ``hearings.views``, to
which each page's routes hand over (Wagtail's ``RoutablePageMixin``), and who may see a
hearing at all is checked on serving by the ``before_serve_page`` hook in
``hearings.wagtail_hooks``.
"""

import json
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject, Substr
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from rest_framework.fields import ReadOnlyField
from rest_framework.relations import StringRelatedField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from hearings import phases
from hearings.blocks.content import HearingContentBlock
from hearings.blocks.questions import ResponseFormBlock, form_schema
from hearings.editing import HearingCopyForm, HearingPageForm
from hearings.prepared import Prepared

from .moderation import PublishedRespondentDetails, PublishResponses
from .taxonomy import (
    KLEClassification,
    foreign_departments_error,
    foreign_parties_error,
    kle_number_validator,
    site_id_for_path,
)


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal: employees of the invited departments")
    PUBLIC = "public", _("Public: everyone")


def _views():
    # The one allowed import loop: views import the models, a page's routes hand over.
    from hearings import views

    return views


class HearingIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["hearings.HearingPage"]
    max_count_per_parent = 1

    page_size = 20

    class Meta:
        verbose_name = _("hearing index")

    @path("", name="index")
    def index_view(self, request):
        return _views().hearing_index(request, self)


class HearingPage(RoutablePageMixin, Page):
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("Up to 500 characters, shown in lists and e-mails."),
    )
    body = StreamField(HearingContentBlock(), verbose_name=_("body"), blank=True)
    hearing_type = models.ForeignKey(
        "hearings.HearingType",
        verbose_name=_("hearing type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_area = models.ForeignKey(
        "hearings.SubjectArea",
        verbose_name=_("subject area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kle_number = models.CharField(
        _("KLE number"),
        max_length=8,
        blank=True,
        validators=[kle_number_validator],
        help_text=_("The KLE classification of the case, e.g. 00.01.00."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.INTERNAL
    )
    invited_departments = ParentalManyToManyField(
        "hearings.Department",
        verbose_name=_("invited departments"),
        blank=True,
        related_name="invited_to",
        help_text=_("Employees of these departments and the departments below them."),
    )
    invited_parties = ParentalManyToManyField(
        "hearings.HearingParty",
        verbose_name=_("invited hearing parties"),
        blank=True,
        related_name="invited_to",
        help_text=_(
            "MED committees, councils, unions and organisations on the hearing list. "
            "Their contact persons are invited and answer on behalf of the party."
        ),
    )
    several_responses_per_party = models.BooleanField(
        _("several responses per party"),
        default=False,
        help_text=_("Normally a party answers once; tick to accept more than one answer."),
    )
    hearing_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_hearings",
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    esdh_case_number = models.CharField(_("ESDH case number"), max_length=100, blank=True)
    esdh_case_title = models.CharField(_("ESDH case title"), max_length=255, blank=True)
    # Null only on a draft (a copy starts without dates); required to publish, since
    # Wagtail defers "required" on nullable fields to publishing.
    opens_at = models.DateTimeField(_("opens at"), null=True)
    closes_at = models.DateTimeField(_("deadline"), null=True)
    response_form = StreamField(
        ResponseFormBlock(),
        verbose_name=_("response form"),
        blank=True,
        help_text=_(
            "The questions the audience answers. Questions and options that have "
            "answers can be reworded but not removed."
        ),
    )
    publish_responses = models.CharField(
        _("publish responses"),
        max_length=20,
        choices=PublishResponses.choices,
        default=PublishResponses.NEVER,
        help_text=_("Whether approved responses are shown on the hearing's page."),
    )
    published_respondent_details = models.CharField(
        _("respondent shown with published responses"),
        max_length=20,
        choices=PublishedRespondentDetails.choices,
        default=PublishedRespondentDetails.NONE,
    )
    conclusion = RichTextField(
        _("conclusion"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        help_text=_("Written after the deadline: what was decided and why."),
    )
    # The hearing memo (høringsnotat): seeded from ``hearings.memo``'s draft, edited by
    # the case officer, filed in the ESDH case with the conclusion once approved.
    memo = RichTextField(
        _("hearing memo"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        help_text=_(
            "The høringsnotat for the decision makers. Start from the generated draft "
            "(the responses overview), then edit it here."
        ),
    )
    memo_changes = models.TextField(
        _("changes to the proposal"),
        blank=True,
        help_text=_("What the proposal changes because of the hearing (or that nothing does)."),
    )
    memo_approved = models.BooleanField(
        _("memo approved"),
        default=False,
        help_text=_("An approved memo is filed in the ESDH case with the conclusion."),
    )

    base_form_class = HearingPageForm
    copy_form_class = HearingCopyForm
    # What belongs to the original's life, never to a copy (Wagtail's "Copy" and
    # hearings.copying alike): its dates and schedule, its conclusion and its ESDH case.
    # Responses, exports and side-effect records hang on the original by plain foreign
    # keys, which a page copy never copies.
    exclude_fields_in_copy = [
        "opens_at",
        "closes_at",
        "go_live_at",
        "expire_at",
        "conclusion",
        "memo",
        "memo_changes",
        "memo_approved",
        "esdh_case_number",
        "esdh_case_title",
    ]
    parent_page_types = ["hearings.HearingIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    details_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("invited_departments"),
                FieldPanel("invited_parties"),
                FieldPanel("several_responses_per_party"),
            ],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hearing_type"),
                FieldPanel("subject_area"),
                FieldPanel("kle_number"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hearing_owner"),
                FieldPanel("contact_person"),
                FieldPanel("esdh_case_number"),
                FieldPanel("esdh_case_title"),
            ],
            heading=_("Responsibility and case"),
        ),
    ]
    response_form_panels = [
        FieldPanel("response_form"),
        MultiFieldPanel(
            [FieldPanel("publish_responses"), FieldPanel("published_respondent_details")],
            heading=_("Publication of responses"),
        ),
    ]
    conclusion_panels = [
        FieldPanel("conclusion"),
        MultiFieldPanel(
            [FieldPanel("memo"), FieldPanel("memo_changes"), FieldPanel("memo_approved")],
            heading=_("Hearing memo"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        # Prefix matches for Danish compound words ("kantine" → "kantineordning"):
        # search/hearings.py asks the autocomplete index beside the full-text one.
        index.AutocompleteField("summary"),
        index.AutocompleteField("body"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
        index.FilterField("audience"),
    ]

    # What the headless API (/api/v2/, see hearings.api) shows of a hearing. Who may
    # see a hearing at all is decided there by hearings.access.visible_hearings.
    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("phase"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("audience"),
        APIField("hearing_type", serializer=StringRelatedField()),
        APIField("subject_area", serializer=StringRelatedField()),
        APIField("kle_number"),
        APIField("conclusion", serializer=ReadOnlyField(source="published_conclusion")),
        APIField("form_schema", serializer=ReadOnlyField(source="response_form_schema")),
    ]

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [
            # The phase filters and the open-first order of the index and "Mine høringer"
            # (hearings.listing.OpenFirst reads each phase in (closes_at, id) order, so a
            # page stops after its rows even where many hearings share a deadline).
            models.Index(fields=["closes_at", "page_ptr"], name="hearing_closes_id"),
        ]

    @property
    def phase(self):
        return phases.phase_of(self)

    def get_phase_display(self):
        return phases.Phase(self.phase).label

    @property
    def published_conclusion(self):
        """The conclusion as HTML once the hearing is concluded; None before."""
        if self.phase != phases.Phase.CONCLUDED:
            return None
        return expand_db_html(self.conclusion)

    @property
    def response_form_schema(self):
        """The questions as plain data: ids, types, labels, options, limits."""
        return form_schema(self.response_form)

    @property
    def kle(self):
        if not self.kle_number:
            return None
        return KLEClassification.objects.filter(number=self.kle_number).first()

    def copy(self, *args, keep_live=True, **kwargs):
        """A copy of a hearing is always a draft, with new question ids.

        It has no dates (they are not copied), so it must not be live; and the answers
        of the original are keyed by its question ids, which a copy must not share.
        """
        page_copy = super().copy(*args, keep_live=False, **kwargs)
        page_copy.renew_question_ids(user=kwargs.get("user"))
        return page_copy

    def renew_question_ids(self, user=None):
        """Give every question a new block id, and save it as a new draft revision."""
        raw = [{**block, "id": str(uuid.uuid4())} for block in self.response_form.raw_data]
        self.response_form = raw
        self.save(clean=False, update_fields=["response_form"])
        self.save_revision(user=user, changed=False, clean=False)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The deadline must be after the opening time.")
        if not strip_tags(self.conclusion or "").strip():
            self.conclusion = ""
        elif self.closes_at and timezone.now() < self.closes_at:
            errors["conclusion"] = _(
                "A conclusion can only be written after the deadline has passed."
            )
        if self.path:
            site_id = site_id_for_path(self.path)
            message = foreign_departments_error(list(self.invited_departments.all()), site_id)
            if message:
                errors["invited_departments"] = message
            message = foreign_parties_error(list(self.invited_parties.all()), site_id)
            if message:
                errors["invited_parties"] = message
        if errors:
            raise ValidationError(errors)

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page and its ancestors (an alias ancestor
        standing for its source page), in one query instead of two; in none when the
        query that found the page already knows there are none (``find_live_hearing``)."""
        if self.__dict__.get("_view_restricted") is False:
            return PageViewRestriction.objects.none()
        if self.alias_of_id or not self.path:
            return super().get_view_restrictions()
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path), steplen)]
        ancestors = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            models.Q(page_id=self.pk)
            | models.Q(page__in=ancestors.filter(alias_of__isnull=True).values("pk"))
            | models.Q(page__in=ancestors.filter(alias_of__isnull=False).values("alias_of_id"))
        )

    # The answer form and its sub-pages; the views live in hearings.views.

    @path("", name="hearing")
    def hearing_view(self, request):
        return _views().hearing_page(request, self)

    @path("response/<int:response_id>/receipt/", name="receipt")
    def receipt_view(self, request, response_id):
        return _views().receipt(request, self, response_id)

    @path("response/<int:response_id>/amend/", name="amend")
    def amend_view(self, request, response_id):
        return _views().amend(request, self, response_id)

    @path("response/<int:response_id>/withdraw/", name="withdraw")
    def withdraw_view(self, request, response_id):
        return _views().withdraw(request, self, response_id)


# What the hearing page shows beside the hearing, read with it.
HEARING_RELATED = ("hearing_type", "subject_area", "contact_person")


def find_live_hearing(root, path_components, audience=None):
    """The live hearing that ``path_components`` (under the site's ``root`` page) lead
    to — ``<index slug>/<hearing slug>/…`` — with what its page shows beside it, in one
    query; and the components left for the hearing's own routes. None when they lead
    elsewhere (Wagtail then routes as usual).

    The same query answers two questions every view of the page asks next (#16: one
    query each): whether Wagtail's view restrictions apply to it
    (``get_view_restrictions``), and, given ``audience`` — (the person's user id, the
    ids of their department and the departments above it) — whether the hearing invites
    one of those departments (``access.is_in_audience``)."""
    if len(path_components) < 2 or not root.url_path:
        return None
    url_path = f"{root.url_path}{path_components[0]}/{path_components[1]}/"
    if audience is not None and audience[1]:
        found = _FIND_HEARING(url_path=url_path, department_ids=sorted(set(audience[1])))
    else:
        found = _FIND_HEARING(url_path=url_path)
    hearing = next(iter(found), None)
    if hearing is None:
        return None
    if audience is not None:
        invited = bool(audience[1]) and hearing.__dict__.pop("_invites_department")
        hearing.__dict__["_agora_invited_department"] = (audience[0], invited)
    # The index above it, as the breadcrumbs read it (title and URL), without a query.
    fields = hearing._parent
    if isinstance(fields, str):
        fields = json.loads(fields)
    index = HearingIndexPage(**fields)
    index._state.adding = False
    index._state.db = hearing._state.db
    hearing._cached_parent_obj = index
    return hearing, path_components[2:]


PARENT_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "live", "locale_id")


# A view restriction on the page or an ancestor (the path of each is a beginning of the
# page's), or on the page an alias ancestor stands for: what get_view_restrictions reads.
def _find_hearing(url_path, department_ids=None):
    parent = Page.objects.filter(path=Substr(OuterRef("path"), 1, OuterRef("depth") * 4 - 4))
    hearings = (
        HearingPage.objects.filter(url_path=url_path, live=True)
        .order_by()  # one page has a URL path: read through its index, never sorted
        .select_related(*HEARING_RELATED)
        .annotate(
            _parent=Subquery(
                parent.values(json=JSONObject(**{name: name for name in PARENT_FIELDS}))[:1]
            ),
            _view_restricted=Exists(_view_restrictions()),
        )
    )
    if department_ids is not None:
        invited = HearingPage.invited_departments.through.objects.filter(
            hearingpage_id=OuterRef("pk"), department_id__in=department_ids
        )
        hearings = hearings.annotate(_invites_department=Exists(invited))
    return hearings[:1]


# Compiled once per process (hearings.prepared): the most read page's query.
_FIND_HEARING = Prepared(_find_hearing)


def _view_restrictions():
    return PageViewRestriction.objects.filter(
        Q(StartsWith(OuterRef("path"), F("page__path")))
        | Q(
            page__in=Page.objects.filter(
                StartsWith(OuterRef(OuterRef("path")), F("path")), alias_of__isnull=False
            ).values("alias_of_id")
        )
    )


# The editor gets tabs: content, dates and audience, conclusion, publishing.
HearingPage.edit_handler = TabbedInterface(
    [
        ObjectList(HearingPage.content_panels, heading=_("Content")),
        ObjectList(HearingPage.details_panels, heading=_("Dates and audience")),
        ObjectList(HearingPage.response_form_panels, heading=_("Response form")),
        ObjectList(HearingPage.conclusion_panels, heading=_("Conclusion")),
        ObjectList(HearingPage.promote_panels, heading=_("Promote")),
        ObjectList(HearingPage.settings_panels, heading=_("Settings")),
    ]
)
