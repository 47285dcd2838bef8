from django.core.management.base import BaseCommand, CommandError

from hearings.exports.service import export_hearing
from hearings.models import HearingPage


class Command(BaseCommand):
    help = (
        "Export a hearing to the configured ESDH system now. Files only what is not "
        "filed yet; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("hearing_id", type=int, help="The hearing's page id.")

    def handle(self, *args, hearing_id, **options):
        hearing = HearingPage.objects.filter(pk=hearing_id).first()
        if hearing is None:
            raise CommandError(f"No hearing with page id {hearing_id}.")
        result = export_hearing(hearing, manual=True)
        self.stdout.write(str(result))
        for name in result.filed:
            self.stdout.write(f"  filed {name}")
        if result.status == "busy":
            raise CommandError("Another worker is exporting this hearing right now.")
        if result.status != "done":
            raise CommandError(f"Export not finished: {result.error}")
