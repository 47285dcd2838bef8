from django.core.management.base import BaseCommand, CommandError

from hearings import bundles
from hearings.management.commands.export_content import find_site


class Command(BaseCommand):
    help = (
        "Import a content bundle written by export_content. Items are matched by their "
        "natural keys: existing ones are updated or skipped, nothing is duplicated, and a "
        "failing import changes nothing. New items are shared by every municipality, or "
        "kept to --site. With --dry-run, only shows what would happen."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--site", help="hostname, site name or id")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, site=None, dry_run=False, **options):
        target = find_site(site)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(bundles.max_bytes() + 1)
            bundle = bundles.load(raw)
            if dry_run:
                changes = bundles.preview(bundle, target)
            else:
                changes = bundles.import_bundle(bundle, target)
        except OSError as error:
            raise CommandError(str(error)) from error
        except bundles.BundleError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for change in changes:
            note = f" ({change.note})" if change.note else ""
            self.stdout.write(f"{change.action:6} {change.kind}: {change.key}{note}")
        counts = bundles.summary(changes)
        self.stdout.write(
            f"{'Would import' if dry_run else 'Imported'}: {counts['create']} created, "
            f"{counts['update']} updated, {counts['skip']} skipped."
        )
