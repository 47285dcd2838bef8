from django.core.management.base import BaseCommand

from hearings import sites


class Command(BaseCommand):
    help = (
        "Turn an existing installation into the per-municipality shape (each Wagtail Site "
        "a municipality with its own settings, staff groups and approval workflow) without "
        "losing anything; library items stay shared. Safe to run again. Prints what it does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing; print what would change."
        )

    def handle(self, *args, dry_run=False, **options):
        done = sites.make_multisite(dry_run=dry_run)
        prefix = "would: " if dry_run else ""
        for line in done:
            self.stdout.write(prefix + line)
        if not done:
            self.stdout.write("Nothing to do: every site is a municipality already.")
