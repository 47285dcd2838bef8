from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hearings.demo import build_demo


class Command(BaseCommand):
    help = "Create or update the demo municipality, users (password 'demo') and hearings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo users have a known password.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load the demo with DEBUG off: its users have the password "
                "'demo'. Use --force if you really mean it."
            )
        build_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
