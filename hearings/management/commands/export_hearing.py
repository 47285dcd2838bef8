from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hearings.exports.service import export_hearing
from hearings.models import HearingPage
from hearings.phases import Phase, phase_of

NOT_YET = (Phase.DRAFT, Phase.UPCOMING, Phase.OPEN)


class Command(BaseCommand):
    help = (
        "Export a hearing to the configured ESDH system now. Files only what is not "
        "filed yet; safe to run again. Refuses a hearing that has not closed yet "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("hearing_id", type=int, help="The hearing's page id.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Export a draft, upcoming or open hearing anyway (its text only: "
            "responses are filed once the deadline has passed).",
        )

    def handle(self, *args, hearing_id, force=False, **options):
        hearing = HearingPage.objects.filter(pk=hearing_id).first()
        if hearing is None:
            raise CommandError(f"No hearing with page id {hearing_id}.")
        phase = phase_of(hearing)
        if phase in NOT_YET and not force:
            deadline = (
                timezone.localtime(hearing.closes_at).strftime("%Y-%m-%d %H:%M")
                if hearing.closes_at
                else "none"
            )
            raise CommandError(
                f'Hearing {hearing_id} "{hearing.title}" is {phase.value}, not '
                f"closed: its responses are filed once the deadline ({deadline}) has "
                "passed, which the minute job does by itself. Nothing was exported. "
                "Use --force to file the hearing text now."
            )
        result = export_hearing(hearing, manual=True)
        self.stdout.write(str(result))
        for name in result.filed:
            self.stdout.write(f"  filed {name}")
        if result.status == "busy":
            raise CommandError("Another worker is exporting this hearing right now.")
        if result.status != "done":
            raise CommandError(f"Export not finished: {result.error}")
