"""Side effects of a hearing's phase changes that have been carried out, so each happens once.

A hearing's phase is computed from the clock (``hearings.phases``); the jobs
(``hearings.jobs.transitions``) only perform what a phase change entails: tell the
audience it opened, remind them, tell the owner it closed. A row here says "done": the
unique constraint on (hearing, kind) is what keeps two workers from doing it twice.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SideEffectRecord(models.Model):
    class Kind(models.TextChoices):
        OPENED = "opened", _("Audience notified of opening")
        REMINDED = "reminded", _("Deadline reminders sent")
        CLOSED = "closed", _("Owner notified of closing")

    hearing = models.ForeignKey(
        "hearings.HearingPage",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="side_effects",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("side effect done")
        verbose_name_plural = _("side effects done")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "kind"], name="hearing_side_effect_once")
        ]

    def __str__(self):
        return f"{self.hearing_id}: {self.kind}"
