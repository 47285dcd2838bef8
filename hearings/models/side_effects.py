"""Side effects of phase changes that have been carried out, so each happens once.

A hearing's phase is computed from the clock (see ``hearings.lifecycle``); jobs only
perform what a transition entails. A row here says "done": the unique constraint on
(hearing, kind) is what keeps two workers from doing it twice.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HearingTransition(models.Model):
    class Kind(models.TextChoices):
        OPENED = "opened", _("Audience notified of opening")
        REMINDED = "reminded", _("Deadline reminders sent")
        CLOSED = "closed", _("Owner notified of closing")

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("hearing transition")
        verbose_name_plural = _("hearing transitions")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "kind"], name="hearing_transition_once")
        ]

    def __str__(self):
        return f"{self.hearing_id}: {self.kind}"
