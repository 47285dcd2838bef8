from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hearings.esdh import ESDHError
from hearings.exports.service import dry_run_export, export_hearing
from hearings.models import HearingPage
from hearings.phases import Phase, phase_of

NOT_YET = (Phase.DRAFT, Phase.UPCOMING, Phase.OPEN)


class Command(BaseCommand):
    help = (
        "Export a hearing to the configured ESDH system now. Files only what is not "
        "filed yet; safe to run again. Refuses a hearing that has not closed yet "
        "unless --force. --dry-run prints every request the configured adapter would "
        "send (or every file it would write) and sends, writes and records nothing; it "
        "needs no --force and shows what an export in the hearing's current phase holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("hearing_id", type=int, help="The hearing's page id.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Export a draft, upcoming or open hearing anyway (its text only: "
            "responses are filed once the deadline has passed).",
        )

        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Send nothing: print every request (or file) the configured adapter "
            "would send, without secrets or file contents. Records nothing as filed.",
        )

    def handle(self, *args, hearing_id, force=False, dry_run=False, **options):
        hearing = HearingPage.objects.filter(pk=hearing_id).first()
        if hearing is None:
            raise CommandError(f"No hearing with page id {hearing_id}.")
        phase = phase_of(hearing)
        if dry_run:
            self.stdout.write(
                f'Dry run: export of hearing {hearing_id} "{hearing.title}" '
                f"({phase.value}). Nothing is sent, written or recorded."
            )
            try:
                count = dry_run_export(hearing, self.stdout.write)
            except ESDHError as error:
                raise CommandError(f"Dry run failed: {error}") from error
            self.stdout.write(f"Dry run done: {count} document(s) would be filed.")
            return
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
