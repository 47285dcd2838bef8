from django.core.management.base import BaseCommand

from hearings import retention


class Command(BaseCommand):
    help = (
        "Delete or anonymise the responses and attachments of hearings whose retention "
        "period (per site, after conclusion and confirmed ESDH filing) has run out, and "
        "uploads older than a day that never joined a response. Prints what it does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing; print what would go."
        )

    def handle(self, *args, dry_run=False, **options):
        verb = "would clear" if dry_run else "cleared"
        done = retention.apply_retention(dry_run=dry_run)
        for hearing, action, cleared in done:
            self.stdout.write(f"{verb} {hearing.title} (#{hearing.pk}), {action}: {cleared}")
        uploads = retention.remove_orphan_uploads(dry_run=dry_run)
        self.stdout.write(
            f"{verb} {len(done)} hearing(s); {uploads} upload(s) never part of a response "
            f"{'would be ' if dry_run else ''}removed."
        )
