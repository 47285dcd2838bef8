"""Hearing parties, the analysis of a hearing's responses, and manual reminders.

A *hearing party* is a named body invited beside (or instead of) departments: a MED
committee, a council, a union, an organisation. Its contact persons are users or bare
e-mail addresses (people without an account). A party answers through one of its
contacts, and that response is recorded as the party's (``HearingResponse.party``).

A hearing's *themes* are its controlled list for the analysis of the responses; staff
tag responses with them (free tags sit beside, on ``HearingResponse.tags``) and write
the administration's comment per response and per theme. All of it feeds the hearing
memo (``hearings.memo``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .library import site_field


class PartyKind(models.TextChoices):
    MED_COMMITTEE = "med", _("MED committee")
    COUNCIL = "council", _("Council")
    UNION = "union", _("Union")
    ORGANISATION = "organisation", _("Organisation")
    OTHER = "other", _("Other")


MAX_CONTACT_EMAILS = 50
MAX_EMAIL_LENGTH = 254


def parse_emails(text):
    """The addresses of a text with one per line (or separated by commas), lower-cased,
    each once, in the order given."""
    seen = []
    for raw in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        address = raw.strip().lower()
        if address and address not in seen:
            seen.append(address)
    return seen


class HearingParty(index.Indexed, models.Model):
    """A body on a hearing's høringsliste, e.g. HovedMED or Handicaprådet."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PartyKind.choices, default=PartyKind.OTHER
    )
    contact_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact persons with an account"),
        blank=True,
        related_name="hearing_parties",
        help_text=_("They are invited, reminded and may answer on behalf of the party."),
    )
    contact_emails = models.TextField(
        _("contact e-mail addresses"),
        blank=True,
        help_text=_(
            "For contact persons without an account, one address per line. They get the "
            "invitation and reminders; staff register their answer."
        ),
    )
    site = site_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("contact_users"),
        FieldPanel("contact_emails"),
        FieldPanel("site"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("hearing party")
        verbose_name_plural = _("hearing parties")

    def __str__(self):
        return self.name

    @property
    def emails(self):
        return parse_emails(self.contact_emails)

    def clean(self):
        super().clean()
        addresses = parse_emails(self.contact_emails)
        if len(addresses) > MAX_CONTACT_EMAILS:
            raise ValidationError(
                {
                    "contact_emails": _("At most %(count)d addresses.")
                    % {"count": MAX_CONTACT_EMAILS}
                }
            )
        wrong = []
        for address in addresses:
            try:
                if len(address) > MAX_EMAIL_LENGTH:  # what the outbox's recipient holds
                    raise ValidationError("too long")
                validate_email(address)
            except ValidationError:
                wrong.append(address[:80])
        if wrong:
            raise ValidationError(
                {
                    "contact_emails": _("Not an e-mail address: %(addresses)s")
                    % {"addresses": ", ".join(wrong)}
                }
            )
        self.contact_emails = "\n".join(addresses)


class HearingTheme(models.Model):
    """One theme of a hearing's controlled list, with the administration's comment."""

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="themes",
    )
    name = models.CharField(_("theme"), max_length=200)
    summary = models.TextField(
        _("summary of the responses"),
        blank=True,
        help_text=_("What the responses say on this theme, in the memo's words."),
    )
    comment = models.TextField(
        _("the administration's comment"),
        blank=True,
        help_text=_("Which points are accommodated and which are not, and why."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["hearing", "sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "name"], name="theme_name_unique_per_hearing"
            )
        ]

    def __str__(self):
        return self.name


class AnswerTheme(models.Model):
    """A theme on a single answer of a response (one question's answer), so the memo and
    the summary report quote that answer under the theme."""

    response = models.ForeignKey(
        "hearings.HearingResponse",
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="answer_themes",
    )
    question_id = models.CharField(_("question"), max_length=100)
    theme = models.ForeignKey(
        HearingTheme,
        verbose_name=_("theme"),
        on_delete=models.CASCADE,
        related_name="answer_themes",
    )

    class Meta:
        ordering = ["response", "question_id", "theme"]
        verbose_name = _("theme of an answer")
        verbose_name_plural = _("themes of answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id", "theme"], name="answer_theme_unique"
            )
        ]

    def __str__(self):
        return f"{self.response} · {self.question_id} · {self.theme}"


class ManualReminder(models.Model):
    """A "send reminder now" by staff: at most one per hearing and day (the constraint)."""

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="manual_reminders",
    )
    day = models.DateField(_("day"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("manual reminder")
        verbose_name_plural = _("manual reminders")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "day"], name="one_manual_reminder_per_day")
        ]

    def __str__(self):
        return f"{self.hearing_id} {self.day}"
