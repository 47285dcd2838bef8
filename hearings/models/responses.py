"""Responses to hearings, their amendment history and their attachments.

``HearingResponse.answers`` is keyed by the question's block id; each entry keeps a
snapshot of the question as it was answered::

    {"<block id>": {"type": "single_choice", "label": "Do you agree?",
                    "value": "<option id>", "display": "Yes, fully"}}

so a later change of wording never orphans or alters an answer. All writes go
through ``hearings.responding``; these models hold data and small helpers only.
"""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from hearings import storage
from hearings.blocks.questions import OnBehalfOf
from hearings.text import scrub


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The status sets, each defined once; read them through ``HearingResponse.objects``.
_ACTIVE = [  # at most one of these per respondent and hearing
    ResponseStatus.DRAFT,
    ResponseStatus.SUBMITTED,
    ResponseStatus.PUBLISHED,
    ResponseStatus.REJECTED,
]
_STANDING = [  # handed in and not withdrawn: an answer that counts
    ResponseStatus.SUBMITTED,
    ResponseStatus.PUBLISHED,
    ResponseStatus.REJECTED,
]
_HANDED_IN = [*_STANDING, ResponseStatus.WITHDRAWN]  # has a reference
_APPROVABLE = [ResponseStatus.SUBMITTED, ResponseStatus.REJECTED]
_REJECTABLE = [ResponseStatus.SUBMITTED, ResponseStatus.PUBLISHED]


class HearingResponseQuerySet(models.QuerySet):
    """The rules of which responses count for what, defined once."""

    def active(self):
        """Drafts and handed-in answers not withdrawn: one per respondent and hearing."""
        return self.filter(self.active_condition())

    @staticmethod
    def active_condition():
        """What ``active()`` filters on, as a condition to combine with others."""
        return models.Q(status__in=_ACTIVE)

    def handed_in(self):
        """Every response that was handed in (it has a reference), withdrawn ones too."""
        return self.filter(status__in=_HANDED_IN)

    def standing(self):
        """Handed in and not withdrawn: the answers that count."""
        return self.filter(status__in=_STANDING)

    def awaiting_moderation(self):
        return self.filter(status=ResponseStatus.SUBMITTED)

    def to_publish(self):
        """Shown on the hearing's page (if the hearing publishes responses)."""
        return self.filter(status=ResponseStatus.PUBLISHED, sensitive=False)

    def to_file(self, approved_only=False):
        """Filed in the ESDH case: every response that stands, whatever moderation
        decided about publishing it (offentlighedsloven § 15); ``approved_only`` (a site
        that chose "published only") files the published ones alone."""
        if approved_only:
            return self.filter(status=ResponseStatus.PUBLISHED)
        return self.standing()

    def registered_by_staff(self):
        """Received by e-mail or letter and registered by a member of staff."""
        return self.exclude(channel=Channel.AGORA)

    @staticmethod
    def standing_q(prefix=""):
        """``standing()`` as a ``Q`` across a relation, e.g. ``standing_q("responses__")``
        for counting a hearing's answers in an annotation."""
        return models.Q(**{f"{prefix}status__in": _STANDING})


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Stores "særligt" as it is, not as "s\\u00e6rligt", so a search of the answers
    finds Danish words on SQLite (which keeps JSON as text) as on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Channel(models.TextChoices):
    """How a response reached the municipality: through Agora, or registered by staff."""

    AGORA = "agora", _("Agora")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class AnswersField(models.JSONField):
    """A JSON field whose text is made valid as it is read (``hearings.text.scrub``).

    Answers are checked when they come in; this keeps a page, mail or export working
    for an answer stored before that check (a lone surrogate, a control character).
    """

    def from_db_value(self, value, expression, connection):
        return scrub(super().from_db_value(value, expression, connection))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class OnBehalfOfKind(models.TextChoices):
    MYSELF = OnBehalfOf.MYSELF, _("Myself")
    DEPARTMENT = OnBehalfOf.DEPARTMENT, _("My department")
    ORGANISATION = OnBehalfOf.ORGANISATION, _("An organisation")


class HearingResponse(models.Model):
    # Records people or jobs write, not content: Wagtail's reference index ("usage")
    # would gain rows on every save and list them as usages of the hearing (#16).
    wagtail_reference_index_ignore = True

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hearing_responses",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResponseStatus.choices,
        default=ResponseStatus.DRAFT,
        db_index=True,
    )
    answers = AnswersField(_("answers"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    on_behalf_of_kind = models.CharField(
        _("on behalf of"),
        max_length=20,
        choices=OnBehalfOfKind.choices,
        default=OnBehalfOfKind.MYSELF,
    )
    on_behalf_of_name = models.CharField(_("on behalf of (name)"), max_length=300, blank=True)
    # The hearing party this response answers for (its contact answered as the party,
    # or staff registered the party's letter); the name stays in ``on_behalf_of_name``.
    party = models.ForeignKey(
        "hearings.HearingParty",
        verbose_name=_("hearing party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    # A response received outside Agora (by e-mail or letter) has no respondent: staff
    # register it with the sender's name and organisation (``hearings.registering``).
    channel = models.CharField(
        _("received by"), max_length=10, choices=Channel.choices, default=Channel.AGORA
    )
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    sender_organisation = models.CharField(
        _("organisation or department"), max_length=300, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    form_version = models.CharField(
        _("form version"),
        max_length=64,
        blank=True,
        help_text=_("Fingerprint of the questions as they were when answered."),
    )
    submission_token = models.UUIDField(
        _("submission token"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Sent with the form; a repeated submission with the same token is ignored."),
    )
    sequence = models.PositiveIntegerField(_("number within the hearing"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    amended_at = models.DateTimeField(_("last amended at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moderation (written by hearings.moderation).
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        db_index=True,
        help_text=_("Contains sensitive personal data; never approved automatically."),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    staff_notes = models.TextField(
        _("staff notes"), blank=True, help_text=_("Only seen by hearing staff.")
    )
    tags = TaggableManager(
        verbose_name=_("free tags"), blank=True, help_text=_("Only seen by hearing staff.")
    )
    themes = models.ManyToManyField(
        "hearings.HearingTheme",
        verbose_name=_("themes"),
        blank=True,
        related_name="responses",
        help_text=_("The hearing's themes this response speaks to."),
    )
    administration_comment = models.TextField(
        _("the administration's comment"),
        blank=True,
        help_text=_("Shown with this response in the hearing memo."),
    )

    objects = HearingResponseQuerySet.as_manager()

    class Meta:
        ordering = ["hearing", "sequence", "created_at"]
        verbose_name = _("hearing response")
        verbose_name_plural = _("hearing responses")
        indexes = [
            # A hearing's published (or handed-in) responses in order: its page, exports.
            models.Index(
                fields=["hearing", "status", "sequence"], name="response_hearing_status_seq"
            ),
            # The moderators' listing, newest first.
            models.Index(fields=["-submitted_at"], name="response_submitted_desc"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "respondent"],
                condition=~models.Q(status="withdrawn"),
                name="one_active_response_per_respondent",
            ),
            models.UniqueConstraint(
                fields=["hearing", "sequence"], name="response_sequence_unique_per_hearing"
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="response_reference_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(reference=""),
                name="handed_in_response_has_reference",
            ),
        ]

    def __str__(self):
        return self.reference or _("Draft response %(id)s") % {"id": self.pk}

    @property
    def is_draft(self):
        return self.status == ResponseStatus.DRAFT

    @property
    def is_active(self):
        return self.status != ResponseStatus.WITHDRAWN

    @property
    def can_be_approved(self):
        return self.status in _APPROVABLE

    @property
    def can_be_rejected(self):
        return self.status in _REJECTABLE

    def page_path(self, route="receipt"):
        """The path of this response's page under its hearing: receipt, amend or withdraw.

        A path, never a full URL: with several sites Wagtail's ``page.url`` is absolute
        (the site's configured host), which would send a person who came by another
        name for the same server (localhost, a proxy's name) away from their session.
        """
        hearing = self.hearing
        parts = hearing.get_url_parts()
        path = parts[2] if parts else hearing.url
        return path + hearing.reverse_subpage(route, args=[self.pk])

    def on_behalf_of_display(self):
        # Shown after "On behalf of" (receipt, listings, exports): a party by its name.
        if self.party_id and self.on_behalf_of_name:
            return self.on_behalf_of_name
        if self.on_behalf_of_kind == OnBehalfOfKind.MYSELF or not self.on_behalf_of_name:
            return self.get_on_behalf_of_kind_display()
        return f"{self.get_on_behalf_of_kind_display()}: {self.on_behalf_of_name}"

    def theme_names(self):
        """The response's themes, then those only on single answers (``AnswerTheme``)."""
        names = [theme.name for theme in self.themes.all()]
        for row in self.answer_themes.all():
            if row.theme.name not in names:
                names.append(row.theme.name)
        return ", ".join(names)

    @property
    def is_registered_by_staff(self):
        return self.channel != Channel.AGORA

    def current_attachments(self):
        return self.attachments.filter(removed_at__isnull=True)


class ResponseCounter(models.Model):
    """The last number handed out in a hearing (``HearingResponse.sequence``).

    Drawn by ``hearings.numbering.next_sequence`` with the hearing taken: one more than
    both this and the hearing's highest number, so rows numbered before the counter
    existed (or by a bulk load) are counted too, and a number is never handed out twice,
    not even after its response is erased. It is a row of its own and not a column of
    the page: publishing the page writes every one of its columns (#16: the answer
    handed in with one statement draws its number here, see ``hearings.one_statement``)."""

    hearing = models.OneToOneField(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("response counter")
        verbose_name_plural = _("response counters")

    def __str__(self):
        return f"{self.hearing_id}: {self.last}"


class ResponseRevision(models.Model):
    """One step in a response's history: submitted, amended or withdrawn.

    ``answers`` is the full set after the step; ``changes`` what differs from before,
    keyed by question id: ``{"label": ..., "before": ..., "after": ...}``.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        AMENDED = "amended", _("Amended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    response = models.ForeignKey(
        HearingResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answers = AnswersField(_("answers"), default=dict, encoder=UnicodeJSONEncoder)
    changes = AnswersField(_("changes"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    form_version = models.CharField(_("form version"), max_length=64, blank=True)
    token = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("response revision")
        verbose_name_plural = _("response revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "number"], name="response_revision_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.response} #{self.number} ({self.get_kind_display()})"


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Not scanned yet")
    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected")
    SKIPPED = "skipped", _("Not scanned (no scanner configured)")
    FAILED = "failed", _("Scan failed")


def attachment_upload_to(instance, filename):
    # A random folder name: file paths reveal nothing and never collide.
    return f"attachments/{instance.hearing_id}/{uuid.uuid4().hex}/{filename}"


def private_storage():
    # Named in migration 0003; the storage itself lives in hearings.storage.
    return storage.private_storage()


class ResponseAttachment(models.Model):
    """A file sent with an answer, kept in private storage (never a public URL).

    An upload belongs to its uploader and hearing as soon as it passed the checks, so it
    stays attached while the person fixes other errors; it joins a response when that
    response is saved (``response`` is empty until then).
    """

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.PROTECT,
        related_name="response_attachments",
    )
    response = models.ForeignKey(
        HearingResponse,
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question_id = models.CharField(_("question id"), max_length=64)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=500
    )
    original_name = models.CharField(_("original file name"), max_length=500)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    scan_status = models.CharField(
        _("scan status"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    scan_detail = models.CharField(_("scan detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("Removed by an amendment; kept for the response's history."),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("response attachment")
        verbose_name_plural = _("response attachments")

    def __str__(self):
        return self.name
